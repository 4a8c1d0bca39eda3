/** The "Open in Python" snippet: loading what the Export menu (and the CLI) write. */
export const PYTHON_SNIPPET = `# Metrics exported from RankPlay (Export → Metrics (CSV))
import pandas as pd

metrics = pd.read_csv("rankplay-metrics.csv")
print(metrics.pivot(index="step", columns="ranker", values="test_ndcg@10"))

# TREC run and qrels of the test split: Export → TREC run of the test split (one ranker:
# <ranker>.run, qrels from Export → Test qrels (TREC); several: rankplay-test-runs.zip with
# <ranker>.run and qrels.txt). Or, from the exported config, the same files with the CLI:
#   npx rankplay train rankplay-config.json --run-out run.txt --qrels-out qrels.txt
import ir_measures
from ir_measures import nDCG, ERR

qrels = list(ir_measures.read_trec_qrels("qrels.txt"))
run = list(ir_measures.read_trec_run("linear.run"))  # <ranker>.run
print(ir_measures.calc_aggregate([nDCG@10, ERR@10], qrels, run))

# or with pytrec_eval
import pytrec_eval

with open("qrels.txt") as f:
    q = pytrec_eval.parse_qrel(f)
with open("linear.run") as f:
    r = pytrec_eval.parse_run(f)
per_query = pytrec_eval.RelevanceEvaluator(q, {"ndcg_cut.10"}).evaluate(r)

# A trained ranker (Export → Trained rankers (JSON): <ranker>.json, or rankplay-rankers.zip)
import json
import numpy as np

ranker = json.load(open("linear.json"))  # format "rankplay-ranker", version 1
weights = {name: np.asarray(w["values"], dtype=np.float32).reshape(w["shape"]) for name, w in ranker["weights"].items()}
norm = ranker["normalization"]  # None, or {"kind", "shift", "scale"}: x = (f(x) - shift) / scale
if ranker["model"]["kind"] == "linear":
    score = lambda x: x @ weights["w0"][:, 0] + weights["b0"][0]  # x: [docs, nFeatures], normalised

# The reranker's LoRA adapter (Adapt → download rankplay-lora-adapter.zip, unzipped)
from transformers import AutoModelForSequenceClassification
from peft import PeftModel

base = AutoModelForSequenceClassification.from_pretrained("BASE_MODEL_ID")  # the base the adapter was trained on
model = PeftModel.from_pretrained(base, "rankplay-lora-adapter")
`;

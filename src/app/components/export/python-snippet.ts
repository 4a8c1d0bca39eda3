/** The "Open in Python" snippet: loading what the Export menu (and the CLI) write. */
export const PYTHON_SNIPPET = `# Metrics exported from RankPlay (Export → Metrics (CSV))
import pandas as pd

metrics = pd.read_csv("rankplay-metrics.csv")
print(metrics.pivot(index="step", columns="ranker", values="test_ndcg@10"))

# TREC run and qrels of the test split: the app does not write these yet; the CLI does,
# from the exported config:
#   npx rankplay train rankplay-config.json --run-out run.txt --qrels-out qrels.txt
import ir_measures
from ir_measures import nDCG, ERR

qrels = list(ir_measures.read_trec_qrels("qrels.txt"))
run = list(ir_measures.read_trec_run("run.txt"))
print(ir_measures.calc_aggregate([nDCG@10, ERR@10], qrels, run))

# or with pytrec_eval
import pytrec_eval

with open("qrels.txt") as f:
    q = pytrec_eval.parse_qrel(f)
with open("run.txt") as f:
    r = pytrec_eval.parse_run(f)
per_query = pytrec_eval.RelevanceEvaluator(q, {"ndcg_cut.10"}).evaluate(r)

# The reranker's LoRA adapter (Adapt → download rankplay-lora-adapter.zip, unzipped)
from transformers import AutoModelForSequenceClassification
from peft import PeftModel

base = AutoModelForSequenceClassification.from_pretrained("BASE_MODEL_ID")  # the base the adapter was trained on
model = PeftModel.from_pretrained(base, "rankplay-lora-adapter")
`;

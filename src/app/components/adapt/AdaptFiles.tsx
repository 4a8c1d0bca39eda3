import { useRankPlay } from '../../store';
import { formatMeasure } from '../text/text-format';
import { downloadBlob } from '../download';

/** A zip as a file download. */
function saveBytes(fileName: string, bytes: Uint8Array): void {
  // A copy into a plain ArrayBuffer: Blob takes no view of a shared or offset buffer on every browser.
  downloadBlob(new Blob([bytes.slice().buffer], { type: 'application/zip' }), fileName);
}

/**
 * Downloads of the latest run (the adapter in PEFT's layout, zipped as rankplay-lora-adapter.zip
 * with adapter_config.json and adapter_model.safetensors; the merged model as a model folder zip)
 * and loading an adapter back to measure it.
 */
export function AdaptFiles() {
  const trained = useRankPlay((s) => s.adaptRuns.some((r) => r.result !== null));
  const busy = useRankPlay((s) => s.adaptBusy !== null);
  const downloadAdapter = useRankPlay((s) => s.downloadAdapter);
  const downloadMerged = useRankPlay((s) => s.downloadMerged);
  const loadAdapter = useRankPlay((s) => s.loadAdapter);
  const loaded = useRankPlay((s) => s.adaptLoaded);
  const ready = useRankPlay((s) => s.backend !== null);
  return (
    <div className="adapt-files" data-testid="adapt-files">
      <div className="text-downloads">
        <button
          type="button"
          className="text-button"
          data-testid="adapt-download-peft"
          disabled={busy || !trained}
          onClick={() => void downloadAdapter().then((o) => o.ok && saveBytes(o.fileName, o.zip))}
          title="adapter_config.json + adapter_model.safetensors, zipped; loads with PEFT's PeftModel.from_pretrained"
        >
          Download adapter (PEFT)
        </button>
        <button
          type="button"
          className="text-button"
          data-testid="adapt-download-merged"
          disabled={busy || !trained}
          onClick={() => void downloadMerged().then((o) => o.ok && saveBytes(o.fileName, o.zip))}
          title="The adapter folded into the model: onnx/model.onnx, model.safetensors, config and tokenizer"
        >
          Download merged model
        </button>
        <label className={busy || !ready ? 'file-button file-button--disabled' : 'file-button'}>
          Load adapter…
          <input
            className="visually-hidden"
            type="file"
            multiple
            accept=".zip,.json,.safetensors"
            disabled={busy || !ready}
            data-testid="adapt-load-file"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              // Cleared so that picking the same files again loads them again.
              e.target.value = '';
              if (files.length) loadAdapter(files);
            }}
          />
        </label>
        <span className="muted">the .zip, or adapter_config.json with adapter_model.safetensors</span>
      </div>
      {loaded && (
        <p className="adapt-loaded" data-testid="adapt-loaded" role="status">
          Loaded {loaded.fileNames.join(' + ')} (LoRA r={loaded.r}, α={loaded.alpha}, {loaded.targetModules.join(', ')}): validation nDCG@10{' '}
          <strong data-testid="adapt-loaded-ndcg" data-value={loaded.ndcg10}>
            {formatMeasure(loaded.ndcg10)}
          </strong>{' '}
          (base {formatMeasure(loaded.baseNdcg10)}
          {loaded.trainedNdcg10 !== null && (
            <>
              , trained run {formatMeasure(loaded.trainedNdcg10)}
              {loaded.trainedNdcg10 === loaded.ndcg10 ? ': the same' : ''}
            </>
          )}
          ).
        </p>
      )}
    </div>
  );
}

import type { ExperimentConfig } from '../../core/experiment/config';
import { useRankPlay } from '../store';
import { CommitInput } from './CommitInput';
import { FieldGroup, NumberField, SelectField, type SelectOption } from './fields';
import { formatHiddenLayers, parseHiddenLayers, sameLayers } from './hidden-layers';
import { useConfigCommit } from './use-config-commit';
import { ErrorBoundary } from './ErrorBoundary';
import { Hideable } from './demo/Hideable';
import { ClickSettings } from './training/ClickSettings';
import { EstimatorSettings, PresetPicker } from './training/EstimatorSettings';
import { LOSS_HINT, LOSS_OPTIONS } from './training/rankers';
import { ScheduleSettings } from './training/ScheduleSettings';

type Optimizer = ExperimentConfig['train']['optimizer'];
type Activation = 'elu' | 'relu' | 'tanh';
type Gain = ExperimentConfig['eval']['gain'];

const OPTIMIZERS: readonly SelectOption<Optimizer>[] = [
  { value: 'adam', label: 'Adam' },
  { value: 'adagrad', label: 'Adagrad' },
  { value: 'sgd', label: 'SGD' },
];
/** The TensorFlow Playground's ladder: roughly ×3 per notch. */
const LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
const ACTIVATIONS: readonly SelectOption<Activation>[] = [
  { value: 'elu', label: 'ELU' },
  { value: 'relu', label: 'ReLU' },
  { value: 'tanh', label: 'tanh' },
];
const GAINS: readonly SelectOption<Gain>[] = [
  { value: 'exp2', label: 'exp2' },
  { value: 'linear', label: 'linear' },
];

/** A rate from a shared link may be off the ladder; it is still offered so the select shows the truth. */
function learningRateOptions(current: number): SelectOption<string>[] {
  const rates = LEARNING_RATES.includes(current) ? LEARNING_RATES : [...LEARNING_RATES, current].sort((a, b) => a - b);
  return rates.map((r) => ({ value: String(r), label: String(r) }));
}

export function TrainingSettings() {
  const config = useRankPlay((s) => s.config);
  const commit = useConfigCommit();
  const { train } = config;
  // The hidden-layer control edits every MLP ranker at once; it shows the first one's layers.
  const firstMlp = config.rankers.find((r) => r.model.kind === 'mlp')?.model;
  const mlp = firstMlp?.kind === 'mlp' ? firstMlp : null;

  return (
    <>
      <ErrorBoundary panel="experiment settings">
        <Hideable group="rankers">
          <PresetPicker />
          <EstimatorSettings />
        </Hideable>
        <Hideable group="clicks">
          <ClickSettings />
        </Hideable>
      </ErrorBoundary>
      <Hideable group="rankers">
        <FieldGroup title="Model & training">
          {mlp ? (
            <>
              <CommitInput
                label="MLP hidden layers"
                testId="cfg-hidden"
                hint="Units per hidden layer, comma separated, e.g. 32,16."
                value={mlp.hidden}
                format={formatHiddenLayers}
                parse={parseHiddenLayers}
                equals={sameLayers}
                onCommit={(layers) =>
                  commit((c) => {
                    for (const r of c.rankers) if (r.model.kind === 'mlp') r.model.hidden = layers;
                  })
                }
              />
              <SelectField
                label="MLP activation"
                testId="cfg-activation"
                value={mlp.activation}
                options={ACTIVATIONS}
                onChange={(v) =>
                  commit((c) => {
                    for (const r of c.rankers) if (r.model.kind === 'mlp') r.model.activation = v;
                  })
                }
              />
            </>
          ) : (
            <p className="field-note">No MLP ranker in this experiment.</p>
          )}
          <SelectField
            label="Loss"
            testId="cfg-loss"
            hint={`The ranking loss of every ranker that does not choose its own. ${LOSS_HINT}`}
            value={train.loss}
            options={LOSS_OPTIONS}
            onChange={(v) => commit((c) => { c.train.loss = v; })}
          />
          <SelectField
            label="Optimizer"
            testId="cfg-optimizer"
            value={train.optimizer}
            options={OPTIMIZERS}
            onChange={(v) => commit((c) => { c.train.optimizer = v; })}
          />
          <SelectField
            label="Learning rate"
            testId="cfg-learning-rate"
            value={String(train.learningRate)}
            options={learningRateOptions(train.learningRate)}
            onChange={(v) => commit((c) => { c.train.learningRate = Number(v); })}
          />
          <NumberField
            label="Batch size (queries)"
            testId="cfg-batch-queries"
            integer
            min={1}
            max={4096}
            value={train.batchQueries}
            onCommit={(v) => commit((c) => { c.train.batchQueries = v; })}
          />
          <NumberField
            label="Steps"
            testId="cfg-max-steps"
            integer
            min={1}
            max={1_000_000}
            value={train.maxSteps}
            onCommit={(v) => commit((c) => { c.train.maxSteps = v; })}
          />
          <NumberField
            label="Evaluate every (steps)"
            testId="cfg-eval-every"
            integer
            min={1}
            max={100_000}
            value={train.evalEvery}
            onCommit={(v) => commit((c) => { c.train.evalEvery = v; })}
          />
        </FieldGroup>
      </Hideable>
      <Hideable group="schedule">
        <ErrorBoundary panel="schedule settings">
          <ScheduleSettings />
        </ErrorBoundary>
        <FieldGroup title="Evaluation">
          <NumberField
            label="Cutoff k (nDCG@k)"
            testId="cfg-k"
            integer
            min={1}
            max={1000}
            value={config.eval.k}
            onCommit={(v) => commit((c) => { c.eval.k = v; })}
          />
          <SelectField
            label="Gain"
            testId="cfg-gain"
            hint="exp2: a document of grade y counts 2^y − 1 (the LTR convention); linear: it counts y (trec_eval's)."
            value={config.eval.gain}
            options={GAINS}
            onChange={(v) => commit((c) => { c.eval.gain = v; })}
          />
        </FieldGroup>
      </Hideable>
    </>
  );
}

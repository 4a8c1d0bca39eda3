import type { BackendStatus } from '../../compute/types';

const yesNo = (v: boolean) => (v ? 'yes' : 'no');

/** What the probe found, so a surprising backend choice can be explained from the page itself. */
export function CapabilitiesDetails({ status }: { status: BackendStatus }) {
  const { webgpu, webgl, wasm } = status.capabilities;
  const limits = Object.entries(webgpu.limits);
  return (
    <details className="capabilities" data-testid="capabilities">
      <summary>Device capabilities</summary>
      <div className="capability-grid">
        <section>
          <h3>WebGPU</h3>
          {webgpu.available ? (
            <dl>
              <dt>vendor</dt>
              <dd data-testid="cap-webgpu-vendor">{webgpu.vendor || '—'}</dd>
              <dt>architecture</dt>
              <dd>{webgpu.architecture || '—'}</dd>
              {webgpu.device && (
                <>
                  <dt>device</dt>
                  <dd>{webgpu.device}</dd>
                </>
              )}
              {webgpu.description && (
                <>
                  <dt>description</dt>
                  <dd>{webgpu.description}</dd>
                </>
              )}
              <dt>software fallback</dt>
              <dd data-testid="cap-webgpu-fallback">{yesNo(webgpu.isFallback)}</dd>
              <dt>shader-f16</dt>
              <dd>{yesNo(webgpu.shaderF16)}</dd>
            </dl>
          ) : (
            <p>unavailable{webgpu.unavailableReason ? `: ${webgpu.unavailableReason}` : ''}</p>
          )}
          {limits.length > 0 && (
            <details>
              <summary>limits ({limits.length})</summary>
              <dl className="limits">
                {limits.map(([name, value]) => (
                  <div key={name}>
                    <dt>{name}</dt>
                    <dd>{value.toLocaleString('en')}</dd>
                  </div>
                ))}
              </dl>
            </details>
          )}
        </section>
        <section>
          <h3>WebGL</h3>
          {webgl.available ? (
            <dl>
              <dt>renderer</dt>
              <dd>{webgl.renderer || '—'}</dd>
              <dt>vendor</dt>
              <dd>{webgl.vendor || '—'}</dd>
              <dt>software</dt>
              <dd>{yesNo(webgl.software)}</dd>
            </dl>
          ) : (
            <p>unavailable</p>
          )}
        </section>
        <section>
          <h3>WebAssembly</h3>
          {wasm.available ? (
            <dl>
              <dt>SIMD</dt>
              <dd>{yesNo(wasm.simd)}</dd>
              <dt>threads</dt>
              <dd>{yesNo(wasm.threads)}</dd>
              <dt>cross-origin isolated</dt>
              <dd>{yesNo(wasm.crossOriginIsolated)}</dd>
            </dl>
          ) : (
            <p>unavailable</p>
          )}
        </section>
      </div>
      {status.failures.length > 0 && (
        <section className="backend-failures">
          <h3>Tried first and failed</h3>
          <ul>
            {status.failures.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </section>
      )}
    </details>
  );
}

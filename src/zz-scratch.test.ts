import { test } from 'vitest';
import { defaultConfig, parseConfig } from './core/experiment/config';
import { deflateSync, strToU8 } from 'fflate';
import { toBase64Url, configFromHash } from './core/experiment/url-codec';
test('scratch', () => {
  const a = defaultConfig(); const b = defaultConfig();
  console.log('shared ranker obj', a.rankers[0] === b.rankers[0], a.rankers[1].model === b.rankers[1].model, a.data.labelDistribution === b.data.labelDistribution);
  console.log(JSON.stringify(parseConfig(JSON.parse('{"version":1,"__proto__":{"polluted":1}}'))));
  console.log(JSON.stringify(parseConfig(JSON.parse('{"version":1,"train":{"constructor":{"polluted":1}}}'))));
  console.log(JSON.stringify(parseConfig({version:1, rankers:[{id:'a',model:{kind:'linear'}},{id:'a',model:{kind:'linear'}}]})));
  console.log(JSON.stringify(parseConfig({version:1, data:{kind:'synthetic', queries:100000, docsPerQuery:1000}})));
  console.log(JSON.stringify(parseConfig({version:1, data:{kind:'synthetic', queries:-3}})));
  console.log(JSON.stringify(parseConfig({version:1, train:{learningRate:'x'}})));
  console.log(JSON.stringify(parseConfig({version:1, '<script>alert(1)</script>':1})));
  for (const mb of [4, 5, 6, 10]) {
    const t0 = performance.now();
    const h = '#c=' + toBase64Url(deflateSync(strToU8(' '.repeat(mb*1024*1024)), {level:9}));
    const t1 = performance.now();
    const r = configFromHash(h);
    console.log(mb, h.length, r.error, (performance.now()-t1).toFixed(1), (t1-t0).toFixed(1));
  }
});

// The official OpenAI Node client against `llmwb serve` on loopback: what a user's script, an
// agent framework or a teammate's tool does unchanged. The model is the repository's demo model
// (resources/demo-model) with a ChatML chat template added, and its LoRA run served as an adapter
// by name. run.sh installs the client and passes WB_LLMWB and WB_SOURCE_DIR.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';

const LLMWB = process.env.WB_LLMWB;
const SOURCE = process.env.WB_SOURCE_DIR;
const KEY = 'sk-node-' + randomBytes(12).toString('hex');
const CHATML =
  "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

let tmp;
let server;
let exited;
let stderr = '';
let baseURL;
let client;

// Starts the server and resolves with its base URL, read from the first line it prints.
function startServer(modelDir) {
  server = spawn(
    LLMWB,
    ['--workspace', path.join(tmp, 'workspace'), 'serve', '--model', modelDir,
     '--adapter', `demo-lora=${path.join(modelDir, 'lora-run')}`,
     '--port', '0', '--api-key-env', 'WB_NODE_TEST_KEY', '--max-batch', '16'],
    { env: { ...process.env, WB_NODE_TEST_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'] });
  exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  server.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^serving (\S+)/m);
      if (m) resolve(m[1]);
    });
    exited.then(({ code }) => reject(new Error(`llmwb serve exited with ${code}: ${stderr}`)));
  });
}

async function health() {
  const r = await fetch(baseURL.replace(/\/v1$/, '/health'));
  return r.json();
}

async function waitIdle(ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const h = await health();
    if (h.active === 0 && h.queued === 0) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

const greedy = (model, prompt, maxTokens) =>
  client.completions.create({ model, prompt, max_tokens: maxTokens, temperature: 0, ignore_eos: true });

before(async () => {
  assert.ok(LLMWB && SOURCE, 'run through tests/node/run.sh (WB_LLMWB, WB_SOURCE_DIR)');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-serve-node-'));
  const model = path.join(tmp, 'demo-model');
  fs.cpSync(path.join(SOURCE, 'resources', 'demo-model'), model, { recursive: true });
  fs.writeFileSync(path.join(model, 'chat_template.jinja'), CHATML);
  baseURL = await startServer(model);
  client = new OpenAI({ baseURL, apiKey: KEY, maxRetries: 0, timeout: 60_000 });
});

after(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    const { code } = await exited;
    assert.equal(code, 0, `llmwb serve exited with ${code} on SIGTERM: ${stderr}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('models.list names the base model and the adapter', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.deepEqual(ids, ['demo-model', 'demo-lora']);
});

test('chat, whole and streamed, agree', async () => {
  const request = {
    model: 'demo-lora',
    messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'All cats are animals. Is Tom an animal?' }],
    max_tokens: 12,
    temperature: 0,
  };
  const whole = await client.chat.completions.create(request);
  assert.equal(whole.object, 'chat.completion');
  const choice = whole.choices[0];
  assert.equal(choice.message.role, 'assistant');
  assert.ok(['stop', 'length'].includes(choice.finish_reason));
  assert.equal(whole.usage.total_tokens, whole.usage.prompt_tokens + whole.usage.completion_tokens);

  const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
  let text = '';
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    assert.equal(chunk.object, 'chat.completion.chunk');
    for (const c of chunk.choices) {
      text += c.delta.content ?? '';
      finish = c.finish_reason ?? finish;
    }
    usage = chunk.usage ?? usage;
  }
  assert.equal(text, choice.message.content);
  assert.equal(finish, choice.finish_reason);
  assert.deepEqual(usage, whole.usage);
});

test('completions with echo and logprobs score the prompt (max_tokens 0)', async () => {
  const prompt = 'All cats are animals. Tom is a cat.';
  const scored = {};
  for (const model of ['demo-model', 'demo-lora']) {
    const r = await client.completions.create({ model, prompt, max_tokens: 0, echo: true, logprobs: 1 });
    const c = r.choices[0];
    assert.equal(c.text, prompt);
    const lp = c.logprobs;
    assert.equal(lp.tokens.length, r.usage.prompt_tokens);
    assert.equal(lp.token_logprobs[0], null);
    assert.ok(lp.token_logprobs.slice(1).every((x) => x <= 0));
    assert.ok(lp.top_logprobs.slice(1).every((t) => Object.keys(t).length >= 1));
    scored[model] = lp.token_logprobs.slice(1);
  }
  // The adapter is a different model.
  assert.notDeepEqual(scored['demo-model'], scored['demo-lora']);

  const gen = await client.completions.create({ model: 'demo-model', prompt, max_tokens: 4, echo: true, logprobs: 2, temperature: 0, ignore_eos: true });
  assert.ok(gen.choices[0].text.startsWith(prompt));
  assert.equal(gen.choices[0].logprobs.tokens.length, gen.usage.prompt_tokens + 4);
});

test('embeddings (the client asks for base64 and decodes it)', async () => {
  const r = await client.embeddings.create({ model: 'demo-model', input: ['a cat', 'a dog'] });
  assert.equal(r.data.length, 2);
  for (const d of r.data) {
    assert.equal(d.embedding.length, 192);
    const norm = Math.sqrt(d.embedding.reduce((s, x) => s + x * x, 0));
    assert.ok(Math.abs(norm - 1) < 1e-4, `norm ${norm}`);
  }
  const floats = await client.embeddings.create({ model: 'demo-model', input: 'a cat', encoding_format: 'float' });
  floats.data[0].embedding.forEach((x, i) => assert.ok(Math.abs(x - r.data[0].embedding[i]) < 1e-6));
});

test('a wrong key gets AuthenticationError on every route', async () => {
  for (const apiKey of ['wrong', KEY.slice(0, -1), KEY + 'x']) {
    const bad = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
    const calls = [
      () => bad.models.list(),
      () => bad.chat.completions.create({ model: 'demo-model', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 }),
      () => bad.completions.create({ model: 'demo-model', prompt: 'hi', max_tokens: 1 }),
      () => bad.embeddings.create({ model: 'demo-model', input: 'hi' }),
    ];
    for (const call of calls) await assert.rejects(call(), OpenAI.AuthenticationError);
  }
  const unknown = await client.completions.create({ model: 'no-such-model', prompt: 'x', max_tokens: 1 }).catch((e) => e);
  assert.ok(unknown instanceof OpenAI.NotFoundError);
  assert.match(unknown.message, /demo-lora/);
});

test('16 concurrent greedy requests equal the same requests one by one', async () => {
  const requests = Array.from({ length: 16 }, (_, i) => [i % 2 ? 'demo-lora' : 'demo-model', `Puzzle ${i}: if all A are B`, 8 + i]);
  const alone = [];
  for (const r of requests) alone.push((await greedy(...r)).choices[0].text);
  const together = await Promise.all(requests.map(async (r) => (await greedy(...r)).choices[0].text));
  assert.deepEqual(together, alone);
});

test('aborting a stream mid-way frees its slot', async () => {
  assert.ok(await waitIdle(10_000));
  const controller = new AbortController();
  const stream = await client.completions.create(
    { model: 'demo-model', prompt: 'Once upon a time', max_tokens: 1500, temperature: 0, ignore_eos: true, stream: true },
    { signal: controller.signal });
  let chunks = 0;
  try {
    for await (const _ of stream) {
      if (++chunks === 3) controller.abort();
    }
  } catch (e) {
    // Client versions differ: some end the iteration quietly on abort, some throw.
    assert.ok(e instanceof OpenAI.APIUserAbortError, String(e));
  }
  assert.equal(chunks, 3);
  const t0 = Date.now();
  assert.ok(await waitIdle(2_000), 'the aborted request still holds a slot');
  console.log(`slot freed ${Date.now() - t0} ms after the abort`);
});

// @ts-check
// Shared parts of the end-to-end scenarios: Debian's chromium driven by playwright-core, one
// browser per file, one fresh context (profile) per actor, a numbered screenshot per step, a
// guard that fails a scenario on any browser console error or uncaught page error, and the
// test mailbox.
//
// tests/frontend/test_e2e.py runs `node --test --test-concurrency=1 e2e/` with:
//   BASE_URL      the storefront behind nginx (https, self-signed certificate)
//   MAILBOX_URL   GET /messages?to=<address> → the e-mails the shop sent there (JSON)
//   ARTIFACTS_DIR where screenshots go (<repo>/test-artifacts/e2e)
//   SHOP_{CUSTOMER,OPERATOR,ADMIN}_EMAIL, SHOP_PASSWORD  the seeded accounts (`run.api(role)`
//                 calls the API as one of them, without a browser)
//   CHROMIUM_PATH the browser (default /usr/bin/chromium, Debian's package)
//
//   import { scenario } from './helpers.mjs';
//
//   scenario('operator sees stock fall', async (run) => {
//     const shopper = await run.actor('shopper');
//     const operator = await run.actor('operator');   // a second browser profile, side by side
//     await shopper.goto('/');
//     await shopper.step('landing page');               // 01-shopper-landing-page.png
//     ...
//   });
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium, request } from 'playwright-core';

/** @typedef {import('playwright-core').Browser} Browser */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').APIRequestContext} APIRequestContext */
/** @typedef {'customer' | 'operator' | 'admin'} Role */
/** @typedef {{ to: string[], from: string, subject: string, text: string | null, html: string | null }} Mail */

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// As root in a container chromium needs --no-sandbox. The rest keep it off the network it
// would otherwise call at every start (this machine refuses those connections).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VIEWPORT = { width: 1280, height: 800 };
const SCENARIO_TIMEOUT_MS = 120_000;
const ACTION_TIMEOUT_MS = 15_000;
const MAIL_TIMEOUT_MS = 30_000;
const MAIL_POLL_MS = 250;

function required(/** @type {string} */ name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests with \`make test\` (tests/frontend/test_e2e.py)`);
  return value;
}

export const baseUrl = () => required('BASE_URL').replace(/\/$/, '');

const artifactsDir = () =>
  process.env.ARTIFACTS_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-artifacts/e2e');

/** The seeded accounts (tests/frontend/seed.py). */
export const accounts = {
  email(/** @type {Role} */ role) {
    return required(`SHOP_${role.toUpperCase()}_EMAIL`);
  },
  get password() {
    return required('SHOP_PASSWORD');
  },
};

/** An address no other scenario or run uses (for registering new accounts). */
export function uniqueEmail(prefix = 'shopper') {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

// --- the browser -------------------------------------------------------------------------------

/** @type {Promise<Browser> | undefined} */
let browserStarted;

/** The file's browser, started on first use and closed after the file's last test. */
export function browser() {
  browserStarted ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return browserStarted;
}

after(async () => {
  if (browserStarted) await (await browserStarted).close();
});

function slug(/** @type {string} */ text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
}

// --- scenarios ---------------------------------------------------------------------------------

/**
 * One person at one browser: a context of their own (fresh profile: no storage, no cookies),
 * its page, and its screenshots under the scenario's numbering.
 */
export class Actor {
  /**
   * @param {Scenario} run
   * @param {string} name
   * @param {BrowserContext} context
   * @param {Page} page
   */
  constructor(run, name, context, page) {
    this.run = run;
    this.name = name;
    this.context = context;
    this.page = page;
  }

  /** Open a path of the storefront (or a full URL, such as a link from an e-mail). */
  async goto(/** @type {string} */ pathOrUrl) {
    const response = await this.page.goto(new URL(pathOrUrl, baseUrl() + '/').href);
    assert.ok(response, `no response for ${pathOrUrl}`);
    assert.ok(response.ok(), `${pathOrUrl}: HTTP ${response.status()}`);
    return response;
  }

  /** Screenshot the whole page as NN-<actor>-<label>.png in the scenario's folder. */
  async step(/** @type {string} */ label) {
    return this.run.screenshot(this, label);
  }
}

/** What a scenario's body gets: its actors, screenshots and the console-error guard. */
export class Scenario {
  /**
   * @param {string} name
   * @param {import('node:test').TestContext} t
   */
  constructor(name, t) {
    this.name = name;
    this.t = t;
    this.dir = path.join(artifactsDir(), slug(name));
    this.steps = 0;
    /** @type {Actor[]} */
    this.actors = [];
    /** @type {APIRequestContext[]} */
    this.apis = [];
    /** @type {string[]} */
    this.browserErrors = [];
    /** @type {{ pattern: RegExp, reason: string }[]} */
    this.expectedErrors = [];
  }

  /** A new person at a new browser profile; several can act side by side. */
  async actor(/** @type {string} */ name) {
    const context = await (await browser()).newContext({
      baseURL: baseUrl(),
      ignoreHTTPSErrors: true, // nginx's self-signed certificate
      viewport: VIEWPORT,
      locale: 'en-GB',
    });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.on('page', (page) => this.watch(name, page));
    const page = await context.newPage();
    const actor = new Actor(this, name, context, page);
    this.actors.push(actor);
    return actor;
  }

  /**
   * The API as a seeded account, from node rather than a page (to prepare what a scenario
   * needs, or to check what it did): through nginx, logged in with the account's password,
   * every request with its bearer token. Disposed with the scenario.
   *
   * @param {Role} role
   * @returns {Promise<APIRequestContext>}
   */
  async api(role) {
    const options = { baseURL: baseUrl(), ignoreHTTPSErrors: true }; // nginx's self-signed certificate
    const anonymous = await request.newContext(options);
    let token;
    try {
      const login = await anonymous.post('/api/v1/auth/login', {
        form: { username: accounts.email(role), password: accounts.password },
      });
      assert.equal(login.status(), 200, `API login as the ${role}: HTTP ${login.status()} ${await login.text()}`);
      token = (await login.json()).access_token;
    } finally {
      await anonymous.dispose();
    }
    const api = await request.newContext({ ...options, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
    this.apis.push(api);
    return api;
  }

  /**
   * Let a console error that the scenario provokes on purpose pass (a wrong password's 401, say),
   * saying why; it is still reported in the test's output. Everything else fails the scenario.
   */
  allowConsoleError(/** @type {RegExp} */ pattern, /** @type {string} */ reason) {
    assert.ok(reason.trim(), 'say why this console error is expected');
    this.expectedErrors.push({ pattern, reason });
  }

  /** @param {string} actor @param {Page} page */
  watch(actor, page) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location().url;
      this.recordError(`[${actor}] console error: ${message.text()}${where ? ` (${where})` : ''}`);
    });
    page.on('pageerror', (error) => {
      this.recordError(`[${actor}] page error: ${error.stack || error.message}`);
    });
  }

  recordError(/** @type {string} */ text) {
    const expected = this.expectedErrors.find(({ pattern }) => pattern.test(text));
    if (expected) {
      this.t.diagnostic(`expected (${expected.reason}): ${text}`);
    } else {
      this.browserErrors.push(text);
    }
  }

  /** @param {Actor} actor @param {string} label */
  async screenshot(actor, label) {
    this.steps += 1;
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${String(this.steps).padStart(2, '0')}-${slug(actor.name)}-${slug(label)}.png`);
    await actor.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  assertNoBrowserErrors() {
    const errors = this.browserErrors;
    if (errors.length) assert.fail(`The browser reported ${errors.length} error(s):\n${errors.join('\n')}`);
  }

  async close() {
    await Promise.allSettled([
      ...this.actors.map((actor) => actor.context.close()),
      ...this.apis.map((api) => api.dispose()),
    ]);
  }
}

/**
 * A node:test test that drives the browser: `body` gets a Scenario. When it throws, every
 * actor's page is captured as "failed"; when it passes, any browser error seen meanwhile
 * fails the test all the same.
 *
 * @param {string} name
 * @param {(run: Scenario) => Promise<void>} body
 * @param {{ timeout?: number }} [options]
 */
export function scenario(name, body, { timeout = SCENARIO_TIMEOUT_MS } = {}) {
  test(name, { timeout }, async (t) => {
    const run = new Scenario(name, t);
    try {
      await body(run);
    } catch (error) {
      for (const actor of run.actors) {
        await run.screenshot(actor, 'failed').catch(() => {}); // the page may be gone
      }
      if (run.browserErrors.length) t.diagnostic(`browser errors:\n${run.browserErrors.join('\n')}`);
      throw error;
    } finally {
      await run.close();
    }
    run.assertNoBrowserErrors();
  });
}

// --- e-mail ------------------------------------------------------------------------------------

/** @type {Set<string>} */
const claimedMail = new Set();

/**
 * The oldest e-mail to `to` (with `subject` in its subject) that no earlier call returned,
 * waiting for it to arrive: two e-mails of one kind are two calls.
 *
 * @param {string} to
 * @param {{ subject?: string | RegExp, timeout?: number }} [options]
 * @returns {Promise<Mail>}
 */
export async function waitForMail(to, { subject, timeout = MAIL_TIMEOUT_MS } = {}) {
  const deadline = Date.now() + timeout;
  const url = new URL('/messages', required('MAILBOX_URL'));
  url.searchParams.set('to', to);
  /** @type {Mail[]} */
  let seen = [];
  for (;;) {
    const response = await fetch(url);
    assert.ok(response.ok, `mailbox: HTTP ${response.status}`);
    seen = /** @type {Mail[]} */ (await response.json());
    for (const [index, mail] of seen.entries()) {
      const key = `${to.toLowerCase()}#${index}`;
      const matches =
        subject === undefined ||
        (typeof subject === 'string' ? mail.subject.includes(subject) : subject.test(mail.subject));
      if (matches && !claimedMail.has(key)) {
        claimedMail.add(key);
        return mail;
      }
    }
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, MAIL_POLL_MS));
  }
  const wanted = subject === undefined ? '' : ` with ${subject} in the subject`;
  throw new Error(
    `No e-mail to ${to}${wanted} within ${timeout} ms; received: ${JSON.stringify(seen.map((mail) => mail.subject))}`,
  );
}

/** The link to `pathname` (e.g. '/verify-email') in the e-mail's text part, as a full URL. */
export function linkIn(/** @type {Mail} */ mail, /** @type {string} */ pathname) {
  assert.ok(mail.text, `the e-mail "${mail.subject}" has no text part`);
  for (const [candidate] of mail.text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    const url = new URL(candidate.replace(/[.,;:!?)]+$/, ''));
    if (url.pathname === pathname) return url.href;
  }
  throw new Error(`No link to ${pathname} in the e-mail "${mail.subject}":\n${mail.text}`);
}

// The console in a real browser (Debian's Chromium through playwright-core) against the local stack: what a
// person signed in as the demo user sees on each surface. Screenshots go to test-results/browser/.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMeeting, minutesFromNow, ownerClient, ZOOM } from '../support/bots-fixtures.ts';
import {
  type ConsoleWorld,
  DEMO,
  screenshot,
  signIn,
  startConsoleWorld,
  watchRequests,
} from '../support/browser.ts';

let world: ConsoleWorld;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  world = await startConsoleWorld();
  context = await world.browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await context?.close();
  await world?.stop();
});

const go = async (hash: string) => {
  await page.goto(`${world.console.url}/#/${hash}`);
};

describe('the console, signed in as the demo user', () => {
  it('signs in with email and password and shows the navigation', async () => {
    await page.goto(world.console.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(page, world.console.url);
    const nav = page.getByRole('navigation', { name: 'Console' });
    for (const label of [
      'Classify',
      'Batches',
      'Definitions',
      'Executions',
      'Approvals',
      'Bots',
      'Monitoring',
    ]) {
      expect(await nav.getByRole('link', { name: label, exact: true }).isVisible()).toBe(true);
    }
    await screenshot(page, '01-signed-in');
  });

  it('classifies a pasted text and shows the category, alternatives, trace, sentences and entities', async () => {
    await go('classify');
    await page
      .getByLabel('Text', { exact: true })
      .fill(
        'Please pay the attached invoice of $4,200 by Friday. Dana Whitfield at Acme approved the payment. Thanks!',
      );
    await page.getByLabel('Categories', { exact: true }).fill('invoice, contract, meeting notes');
    await page.getByRole('button', { name: 'Classify', exact: true }).click();
    const trace = page.getByRole('table', { name: 'Cascade trace' });
    await trace.waitFor();
    expect(await page.getByTestId('category').textContent()).toBe('invoice');
    const traceText = await trace.textContent();
    expect(traceText).toMatch(/local/);
    expect(traceText).toMatch(/\d+ ms/);
    expect(await page.getByRole('meter').count()).toBe(3);
    expect(await page.locator('mark.entity').count()).toBeGreaterThan(0);
    expect(await page.locator('ol.sentences li').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, '02-classify');
  });

  it('submits a 50-item CSV batch and watches it reach 100%', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-batch-'));
    const file = join(dir, 'items.csv');
    const topics = [
      'Invoice 1042 is due, please pay',
      'The contract renewal terms are attached',
      'Notes from the weekly sync',
    ];
    const lines = ['key,text'];
    for (let i = 0; i < 50; i++) lines.push(`item-${i},"${topics[i % 3]}, number ${i}"`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await go('batches');
    await page.getByLabel(/^File/).setInputFiles(file);
    await page.getByText('50 items read').waitFor();
    await page.getByRole('button', { name: 'Classify 50 items' }).click();
    const progress = page.getByRole('progressbar', { name: 'Batch progress' });
    await progress.waitFor();
    await page.locator('[role="progressbar"][aria-valuenow="100"]').waitFor({ timeout: 90_000 });
    expect(await progress.textContent()).toBe('100%');
    expect(await page.getByRole('table', { name: 'Batch results' }).locator('tbody tr').count()).toBe(50);
    await screenshot(page, '03-batch-complete');
    // The export holds every item's result under its key.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const exported = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(exported[0]).toBe('item,key,status,category,confidence,error');
    expect(exported).toHaveLength(51);
    expect(exported.filter((line) => /^\d+,item-\d+,completed,[a-z ]+,0\.\d+,$/.test(line))).toHaveLength(50);
  });

  it("creates a classification workflow, shows the API's validation error under its field, and saves v2", async () => {
    const name = `Finance triage ${Date.now()}`;
    await go('classification-workflows/new');
    const form = page.getByRole('form', { name: 'New classification workflow' });
    await form.getByLabel('Workflow name', { exact: true }).fill(name);
    const categories = form.getByLabel('Categories (JSON)', { exact: true });
    const categoriesError = form.locator('.field', { hasText: 'Categories (JSON)' }).locator('.field-error');
    // Not JSON: said under the field at once, before anything is sent.
    await categories.fill('[{"name": "invoice"},');
    expect(await categoriesError.textContent()).toMatch(/Not valid JSON/);
    // JSON the API refuses (one category): its issue appears under the same field.
    await categories.fill('[{"name": "invoice"}]');
    await form.getByRole('button', { name: 'Save' }).click();
    await categoriesError.waitFor();
    expect(await categoriesError.textContent()).toMatch(/^categories/);
    expect(await form.getByRole('alert').last().textContent()).toMatch(/request id/);
    await categories.fill('[{"name": "invoice"}, {"name": "contract"}]');
    await form.getByRole('button', { name: 'Save' }).click();
    const table = page.getByRole('table', { name: 'Classification workflows' });
    const row = table.locator('tbody tr', { hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/invoice, contract.*v1.*active/);
    await row.getByRole('link', { name }).click();
    const edit = page.getByRole('form', { name: `Edit ${name}` });
    await edit.getByLabel('Description', { exact: true }).fill('Invoices and contracts from the inbox');
    await edit.getByRole('button', { name: 'Save' }).click();
    await row.getByText('v2').waitFor();
  });

  it('creates a workflow with an approval step, runs it, approves it from the inbox and sees it complete', async () => {
    const name = `Invoice review ${Date.now()}`;
    await go('workflows/new');
    await page.getByLabel('Workflow name', { exact: true }).fill(name);
    // The editor starts with a classification step; the approval step goes after it.
    await page.getByLabel('New step type', { exact: true }).selectOption('approval');
    await page.getByRole('button', { name: 'Add step' }).click();
    const approvalStep = page.getByRole('listitem', { name: 'Step 2: approval2' });
    await approvalStep.waitFor();
    await approvalStep.getByLabel('Step id', { exact: true }).fill('finance-check');
    const second = page.getByRole('listitem', { name: 'Step 2: finance-check' });
    const condition = second.getByLabel('Condition (JsonLogic, optional)', { exact: true });
    // A condition the API refuses: its issue appears under that step's condition, not elsewhere.
    await condition.fill('{"nope": [1, 2]}');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    const conditionError = second
      .locator('.field', { hasText: 'Condition (JsonLogic' })
      .locator('.field-error');
    await conditionError.waitFor();
    expect(await conditionError.textContent()).toMatch(/^steps\.1\.condition/);
    expect(
      await page.getByRole('listitem', { name: 'Step 1: classify' }).locator('.field-error').count(),
    ).toBe(0);
    await condition.fill('{"==": [{"var": "steps.classify.status"}, "completed"]}');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    // Saved: the page of the workflow, with its run form.
    const runForm = page.getByRole('form', { name: 'Run on a document' });
    await runForm.waitFor();
    const workflowUrl = page.url();
    expect(await page.getByRole('heading', { name: `${name} · v1` }).isVisible()).toBe(true);
    const documentSelect = runForm.getByLabel('Document', { exact: true });
    await documentSelect.locator('option', { hasText: 'Complaint: invoice charged twice' }).waitFor({
      state: 'attached',
    });
    await documentSelect.selectOption({ label: 'Complaint: invoice charged twice' });
    await runForm.getByRole('button', { name: 'Run' }).click();
    // The execution's page: it classifies, then waits at the approval step.
    await page.waitForURL(/#\/executions\/[0-9a-f-]{36}$/);
    const executionUrl = page.url();
    const status = page.getByTestId('execution-status');
    await status.getByText('waiting approval').waitFor({ timeout: 60_000 });
    const timeline = page.getByRole('list', { name: 'Step timeline' });
    expect(await timeline.locator('li').first().textContent()).toMatch(/classify.*completed.*attempts 1/);
    await screenshot(page, '04-workflow-waiting-approval');

    await page.getByRole('link', { name: 'Waiting for approval: open the inbox' }).click();
    const card = page.getByRole('listitem', { name: `Approval: ${name} · finance-check` });
    await card.waitFor();
    expect(await card.textContent()).toMatch(/Check the document before it goes on/);
    await card.getByLabel('Comment', { exact: true }).fill('Refund confirmed with finance');
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.waitFor({ state: 'detached' });

    await page.goto(executionUrl);
    await status.getByText('completed').waitFor({ timeout: 60_000 });
    const steps = timeline.locator('li');
    expect(await steps.count()).toBe(2);
    expect(await steps.nth(0).textContent()).toMatch(/^classify.*completed/);
    expect(await steps.nth(1).textContent()).toMatch(/^finance-check.*approval.*completed.*attempts \d/);
    await steps.nth(1).getByText('Output').click();
    expect(await steps.nth(1).locator('pre').textContent()).toMatch(/Refund confirmed with finance/);
    expect(await page.getByRole('button', { name: 'Cancel' }).isDisabled()).toBe(true);
    await screenshot(page, '05-workflow-completed');

    // A second run, cancelled while it waits; the status filters tell the two runs apart.
    await page.goto(workflowUrl);
    await runForm
      .getByLabel('Document', { exact: true })
      .selectOption({ label: 'Complaint: invoice charged twice' });
    await runForm.getByRole('button', { name: 'Run' }).click();
    await page.waitForURL(
      (url) => url.href !== executionUrl && /#\/executions\/[0-9a-f-]{36}$/.test(url.href),
    );
    await status.getByText('waiting approval').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await status.getByText('cancelled').waitFor();
    expect(await page.getByRole('button', { name: 'Resume' }).isDisabled()).toBe(true);
    await go('executions');
    const executions = page.getByRole('table', { name: 'Executions' });
    const ours = executions.locator('tbody tr', { hasText: name });
    await ours.nth(1).waitFor();
    const statuses = async () =>
      (await ours.allTextContents()).map((text) => /cancelled|completed|waiting approval/.exec(text)?.[0]);
    await page.getByRole('button', { name: 'cancelled', exact: true }).click();
    await expect.poll(statuses, { timeout: 20_000 }).toEqual(['cancelled']);
    expect(page.url()).toMatch(/status=cancelled/);
    await page.getByRole('button', { name: 'completed', exact: true }).click();
    await expect.poll(statuses, { timeout: 20_000 }).toEqual(['completed']);
  });

  it('shows each upcoming meeting with its bot decision and reason, the bots and the scheduling log', async () => {
    // Besides the seed's meetings, one the demo user's exclusion keywords ("interview") keep the bot out of.
    const db = await ownerClient(world.stack.database.url);
    try {
      await insertMeeting(db, DEMO.id, {
        title: 'Candidate interview: backend engineer',
        start: minutesFromNow(180),
        meetingUrl: ZOOM,
      });
    } finally {
      await db.end();
    }
    await go('bots');
    const meetings = page.getByRole('table', { name: 'Upcoming meetings' });
    const row = (title: string) => meetings.locator('tbody tr', { hasText: title });
    await row('Candidate interview').waitFor();
    expect(await row('Candidate interview').textContent()).toMatch(/not decided yet/);
    await page.getByRole('button', { name: 'Auto-schedule now' }).click();
    await row('Candidate interview').getByText('skipped').waitFor();
    expect(await row('Candidate interview').textContent()).toMatch(/excluded.*interview/);
    expect(await row('Acme Corp: renewal negotiation').textContent()).toMatch(/scheduled.*scheduled/);
    expect(await row('Company offsite').textContent()).toMatch(/skipped.*all_day/);
    // The scheduled bot reached Attendee; its meeting offers to cancel it.
    expect(world.attendee.createRequests().length).toBeGreaterThan(0);
    const bots = page.getByRole('table', { name: 'Bots' });
    expect(await bots.getByText('scheduled').count()).toBe(world.attendee.createRequests().length);
    expect(
      await page.getByRole('table', { name: 'Scheduling log' }).locator('tbody tr').count(),
    ).toBeGreaterThan(3);
    await screenshot(page, '06-bot-decisions');
    await row('Acme Corp: renewal negotiation').getByRole('button', { name: 'Cancel bot' }).click();
    await row('Acme Corp: renewal negotiation').getByRole('button', { name: 'Schedule now' }).waitFor();
    expect(await row('Acme Corp: renewal negotiation').textContent()).toMatch(/cancelled/);
  });

  it('draws the monitoring charts with the calls made above', async () => {
    await go('monitoring');
    await page.getByRole('button', { name: '1h' }).click();
    await page.getByRole('img', { name: 'Requests chart' }).locator('canvas').waitFor();
    expect(Number(await page.getByTestId('total-calls').textContent())).toBeGreaterThan(0);
    // The chart's data (also listed for screen readers) has a bucket with calls.
    const requests = page.locator('figure', { hasText: 'Requests' }).first();
    const counts = await requests.locator('details tbody tr td:nth-child(2)').allTextContents();
    expect(counts.some((value) => Number(value) > 0)).toBe(true);
    expect(await page.getByRole('table', { name: 'Per operation and provider' }).textContent()).toMatch(
      /local/,
    );
    await screenshot(page, '07-monitoring');
    // The other windows draw from the same calls (coarser buckets).
    for (const window of ['24h', '7d']) {
      await page.getByRole('button', { name: window, exact: true }).click();
      await page.locator(`button[aria-pressed="true"]`, { hasText: window }).waitFor();
      await page.getByRole('img', { name: 'Requests chart' }).locator('canvas').waitFor();
      expect(Number(await page.getByTestId('total-calls').textContent()), window).toBeGreaterThan(0);
    }
  });

  // Its own timeout: eight pages and four renders of Scalar, each wait up to 60 s on a machine under load.
  it('loads every page and the API reference with no request to any host but the project and the console', async () => {
    const clean = await world.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const fresh = await clean.newPage();
    // Scalar's renderer is a few megabytes of script: on a loaded machine it takes tens of seconds.
    fresh.setDefaultTimeout(60_000);
    const requests = watchRequests(clean);
    await signIn(fresh, world.console.url);
    for (const hash of [
      'classify',
      'batches',
      'classification-workflows',
      'workflows',
      'executions',
      'approvals',
      'bots',
      'monitoring',
    ]) {
      await fresh.goto(`${world.console.url}/#/${hash}`);
      await fresh.getByRole('heading', { level: 1 }).waitFor();
      // The page's data has arrived (no loading state left) and every request it made has ended.
      await fresh.locator('p.loading').first().waitFor({ state: 'detached' });
      await requests.quiet();
      expect(await fresh.getByRole('alert').allTextContents(), hash).toEqual([]);
    }
    // Each function's reference, rendered by Scalar from the document the function serves.
    for (const fn of ['workflows', 'bots', 'ai', 'classification']) {
      await fresh.goto(`${world.console.url}/#/api/${fn}`);
      const reference = fresh.frameLocator(`iframe[title="${fn} API reference"]`);
      await reference.getByRole('heading', { name: `${fn} function` }).waitFor();
    }
    // Every operation is in its navigation.
    await fresh
      .frameLocator('iframe.reference')
      .getByText(/classify_document_enhanced/)
      .first()
      .waitFor({ state: 'attached' });
    await requests.quiet();
    await screenshot(fresh, '08-api-reference');
    await clean.close();
    const allowed = new Set([new URL(world.console.url).origin, new URL(world.stack.url).origin]);
    expect([...requests.origins].filter((origin) => !allowed.has(origin) && origin !== 'null')).toEqual([]);
    expect(requests.origins.has(new URL(world.stack.url).origin)).toBe(true);
  }, 240_000);
});

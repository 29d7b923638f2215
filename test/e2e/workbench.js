// Playwright helpers for the VS Code workbench served by code-server. Auto-waiting only: every wait
// is a locator wait with a timeout, never a fixed sleep.
'use strict';

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Open the workbench URL and wait until it is usable (and, optionally, lists a workspace file). */
async function openWorkbench(page, url, { expectFile, timeout = 60000 } = {}) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout });
  if (expectFile) {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: expectFile }).first().waitFor({ timeout });
  }
}

/** The quick input's text box, opened with F1 (retried: keybindings work once the workbench has focus). */
async function openPalette(page) {
  const input = page.locator('.quick-input-widget input[type="text"]');
  for (let i = 0; ; i++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 2000 });
      return input;
    } catch (e) {
      if (i >= 15) throw new Error(`F1 did not open the command palette: ${e.message}`);
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 }, trial: false }).catch(() => {});
    }
  }
}

/**
 * A row of the open quick pick whose label is exactly `label` (string) or matches `label` (RegExp).
 * Visible rows only: VS Code 1.139 can keep an earlier pick's list, hidden, in the widget, and a
 * row of it matching the label would never become clickable.
 */
function quickPickRow(page, label) {
  const re = label instanceof RegExp ? label : new RegExp(`^${esc(label)}$`);
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row:visible')
    .filter({ has: page.locator('.label-name', { hasText: re }) });
}

/**
 * F1, type the command title, click its row. The palette
 * computes its list when the text changes: a command contributed by an extension still being
 * registered (right after the workbench opens) appears only after a later change, so the text is
 * typed again (in a palette opened again, if it closed) until the row appears or `timeout` passes.
 */
async function runCommand(page, title, { timeout = 30000 } = {}) {
  const row = quickPickRow(page, title).first();
  const deadline = Date.now() + timeout;
  let input = await openPalette(page);
  for (;;) {
    try {
      await input.fill(`>${title}`, { timeout: 3000 });
    } catch (e) {
      // A panel that takes the focus as it finishes opening closes the palette (its input is then inert): open it again.
      if (Date.now() >= deadline) throw e;
      await page.keyboard.press('Escape');
      input = await openPalette(page);
      continue;
    }
    try {
      await row.waitFor({ timeout: Math.min(3000, Math.max(1, deadline - Date.now())) });
      break;
    } catch (e) {
      if (Date.now() >= deadline) throw new Error(`command "${title}" is not in the command palette (${e.message.split('\n')[0]})`);
      await input.fill('>', { timeout: 3000 }).catch(() => {});
    }
  }
  // A click, not Enter: the keyboard focus may have moved to a panel that finished opening.
  await row.click();
}

/** Wait for a quick pick (opened by a command) to offer a row matching `label`, and accept the first. */
async function pickFirst(page, label, { timeout = 30000 } = {}) {
  const row = quickPickRow(page, label).first();
  await row.waitFor({ timeout }).catch((e) => {
    throw new Error(`no quick pick row matching ${label} (${e.message.split('\n')[0]})`);
  });
  const text = (await row.locator('.label-name').innerText()).trim();
  // A click, not Enter: a webview restored after a reload can take the keyboard focus from the open pick.
  await row.click();
  // Accepted once the row is gone: the palette closes, or (VS Code 1.139) shows the command's next pick in place.
  await quickPickRow(page, text).first().waitFor({ state: 'hidden', timeout });
  return text;
}

/** The pane (view) named `name` in the side bar (its header's aria-label is "<name> Section"). */
function view(page, name) {
  return page.locator('.pane').filter({ has: page.locator(`.pane-header[aria-label=${JSON.stringify(`${name} Section`)}]`) });
}

/** Rows of a tree view, each as { label, description } once rendered. */
function viewRows(page, name) {
  return view(page, name).locator('.monaco-list-row');
}

/**
 * The row of view `name` whose label matches `label`, scrolled into the rendered part of the list:
 * trees render only the rows in sight, so a row further down (`up`: further up) exists only once
 * scrolled to.
 */
async function scrollToRow(page, name, label, { up = false, timeout = 30000 } = {}) {
  const rows = viewRows(page, name).filter({ has: page.locator('.label-name', { hasText: label }) });
  const list = view(page, name).locator('.monaco-list').first();
  for (const deadline = Date.now() + timeout; ;) {
    if (await rows.count()) return rows;
    if (Date.now() > deadline) throw new Error(`no row matching ${label} in the ${name} view`);
    await list.hover();
    await page.mouse.wheel(0, up ? -120 : 120);
    await rows.first().waitFor({ timeout: 250 }).catch(() => {});
  }
}

/** { label, description } of a rendered tree/list row (no waiting for parts a row may not have). */
async function rowText(row) {
  return row.evaluate((el) => ({
    label: ((el.querySelector('.label-name') || {}).textContent || '').trim(),
    description: ((el.querySelector('.label-description') || {}).textContent || '').trim(),
  }));
}

/** A notification toast containing `text`. */
function toast(page, text) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

/** Texts of the notification toasts on screen (for failure messages). */
async function toastTexts(page) {
  return page.locator('.notifications-toasts .notification-toast .notification-list-item-message')
    .allInnerTexts().then((t) => t.map((x) => x.trim()).filter(Boolean), () => []);
}

/**
 * The content frame of a webview panel, two iframes deep: iframe.webview (VS Code's host page) →
 * iframe#active-frame (the extension's HTML, whose title attribute is the panel title). With `title`,
 * waits for the webview whose panel has that title (both frames are same-origin in code-server) and
 * tags its outer iframe so the returned FrameLocator stays on it; else the first ready webview.
 */
async function webviewFrame(page, title, { timeout = 30000 } = {}) {
  if (!title) return page.locator('iframe.webview.ready').first().contentFrame().locator('iframe#active-frame').contentFrame();
  await page.waitForFunction((t) => {
    for (const outer of document.querySelectorAll('iframe.webview.ready')) {
      const inner = outer.contentDocument && outer.contentDocument.querySelector('iframe#active-frame');
      if (inner && inner.title === t) { outer.setAttribute('data-e2e-title', t); return true; }
    }
    return false;
  }, title, { timeout });
  return page.locator(`iframe.webview.ready[data-e2e-title=${JSON.stringify(title)}]`).first()
    .contentFrame().locator('iframe#active-frame').contentFrame();
}

/**
 * Brings the webview editor tab `title` to the front and returns its frame. After a reload the
 * workbench restores its editors for a while and may bring another one forward after a click:
 * the click is repeated until this tab's webview is the one showing.
 */
async function showWebviewTab(page, title, { timeout = 60000 } = {}) {
  const tab = page.locator('.tabs-container .tab', { hasText: title }).first();
  const deadline = Date.now() + timeout;
  for (;;) {
    await tab.click({ timeout: Math.max(1, deadline - Date.now()) });
    try {
      return await webviewFrame(page, title, { timeout: Math.min(5000, Math.max(1, deadline - Date.now())) });
    } catch (e) {
      if (Date.now() >= deadline) throw e;
    }
  }
}

module.exports = { openWorkbench, openPalette, runCommand, pickFirst, quickPickRow, view, viewRows, scrollToRow, rowText, toast, toastTexts, webviewFrame, showWebviewTab, esc };

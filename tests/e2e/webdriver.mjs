/**
 * A small W3C WebDriver client over fetch, enough to drive the real app window through
 * tauri-driver (which hands the session to WebKitWebDriver). No npm dependencies, so the
 * end-to-end tests run on the machine's own Node.js.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function request(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    // A command that hangs (a window that never appears) fails the test instead of CI.
    signal: AbortSignal.timeout(60000),
  }).catch((err) => {
    throw new Error(`${method} ${path}: ${err.name} ${err.message}`)
  })
  const json = await res.json().catch(() => ({}))
  if (!res.ok) {
    const v = json.value ?? {}
    throw new Error(`${method} ${path}: ${res.status} ${v.error ?? ''} ${v.message ?? ''}`)
  }
  return json.value
}

/**
 * Starts tauri-driver on `port` (and WebKitWebDriver on `port + 1`, so two runs never share
 * the native driver) with `env`, which reaches the app, and waits until it answers.
 */
export async function startDriver(port, env) {
  // The driver's chatter goes to a log beside the screenshots, not into the test report.
  const logDir = join(dirname(new URL(import.meta.url).pathname), 'artifacts')
  mkdirSync(logDir, { recursive: true })
  const log = openSync(join(logDir, `tauri-driver-${port}.log`), 'w')
  // Each run gets its own data folder, so the webview's storage (a half-typed form, the last
  // studio) never leaks from one run into the next.
  const dataHome = env.XDG_DATA_HOME ?? mkdtempSync(join(tmpdir(), 'lvzhi-e2e-home-'))
  const child = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
    // Window size and position are kept in the config folder: a run's own, beside its data.
    env: { ...process.env, XDG_DATA_HOME: dataHome, XDG_CONFIG_HOME: join(dataHome, 'config'), ...env },
    stdio: ['ignore', log, log],
  })
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${base}/status`, { signal: AbortSignal.timeout(1000) })
      if (res.ok) return { child, base }
    } catch {
      // not listening yet
    }
    await sleep(100)
  }
  child.kill()
  throw new Error('tauri-driver did not start')
}

/** Pids of running lvzhi-desktop processes whose ledger is `db` (read from /proc). */
function appsOn(db) {
  const found = []
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!cmd.includes('lvzhi-desktop')) continue
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
      if (env.includes(`LVZHI_DB=${db}`)) found.push(Number(pid))
    } catch {
      // gone already, or not ours to read
    }
  }
  return found
}

/**
 * Waits until no app is left running on ledger `db`. The app keeps one instance per ledger,
 * so a relaunch while the last window is still shutting down would hand over to it and exit.
 */
export async function waitForAppExit(db, timeout = 20000) {
  const until = Date.now() + timeout
  while (appsOn(db).length) {
    if (Date.now() > until) {
      for (const pid of appsOn(db)) process.kill(pid, 'SIGTERM')
      await sleep(500)
      return
    }
    await sleep(100)
  }
}

export class Session {
  constructor(base, id) {
    this.base = base
    this.id = id
  }

  static async create(base, application) {
    const value = await request(base, 'POST', '/session', {
      capabilities: {
        alwaysMatch: { browserName: 'wry', 'tauri:options': { application } },
      },
    })
    return new Session(base, value.sessionId)
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body)
  }

  async findAll(css) {
    const found = await this.cmd('POST', '/elements', { using: 'css selector', value: css })
    return found.map((e) => e[ELEMENT])
  }

  /** Waits up to `timeout` ms for a visible element matching `css`. */
  async waitFor(css, timeout = 15000) {
    const until = Date.now() + timeout
    for (;;) {
      for (const id of await this.findAll(css)) {
        if (await this.cmd('GET', `/element/${id}/displayed`).catch(() => false)) return id
      }
      if (Date.now() > until) throw new Error(`timed out waiting for ${css}`)
      await sleep(150)
    }
  }

  /**
   * Waits for an element matching `css` whose text contains `text`. Reads textContent through
   * a script: WebKit's "displayed" check (and so element text) misjudges cells inside
   * Element Plus tables, which the screenshots show are on screen.
   */
  async waitForText(css, text, timeout = 15000) {
    const until = Date.now() + timeout
    for (;;) {
      const texts = await this.execute(
        'return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.textContent)',
        [css],
      )
      if (texts.some((t) => t.includes(text))) return texts
      if (Date.now() > until) throw new Error(`timed out waiting for “${text}” in ${css}; saw ${JSON.stringify(texts)}`)
      await sleep(150)
    }
  }

  /** Waits for a rendered element matching `css` whose text contains `text`; returns its id. */
  async waitForElementWithText(css, text, timeout = 15000) {
    const until = Date.now() + timeout
    for (;;) {
      const found = await this.execute(
        `return Array.from(document.querySelectorAll(arguments[0]))
           .find((e) => e.textContent.includes(arguments[1]) && e.getClientRects().length > 0) ?? null`,
        [css, text],
      )
      if (found) return found[ELEMENT]
      if (Date.now() > until) throw new Error(`timed out waiting for an element “${text}” in ${css}`)
      await sleep(150)
    }
  }

  /**
   * Clicks what `find` returns, retrying while it is still animating in (not interactable,
   * covered by a closing overlay, or replaced by a re-render): Element Plus dropdowns and
   * drawers take a moment, longer on a loaded machine.
   */
  async clickWhenReady(find, timeout = 15000) {
    const until = Date.now() + timeout
    for (;;) {
      try {
        await this.click(await find())
        return
      } catch (err) {
        const transient = /not interactable|click intercepted|stale element|no such element/.test(err.message)
        if (!transient || Date.now() > until) throw err
        await sleep(200)
      }
    }
  }

  /** Waits until the first element matching `css` stops moving (an animation has ended). */
  async waitForStill(css, timeout = 10000) {
    const until = Date.now() + timeout
    let last = ''
    for (;;) {
      const rect = await this.execute(
        'const e = document.querySelector(arguments[0]); if (!e) return ""; const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join(",")',
        [css],
      )
      if (rect && rect === last) return
      if (Date.now() > until) throw new Error(`${css} kept moving`)
      last = rect
      await sleep(120)
    }
  }

  /** Waits until no element matching `css` is rendered. */
  async waitForGone(css, timeout = 10000) {
    const until = Date.now() + timeout
    for (;;) {
      const shown = await this.execute(
        'return Array.from(document.querySelectorAll(arguments[0])).some((e) => e.getClientRects().length > 0)',
        [css],
      )
      if (!shown) return
      if (Date.now() > until) throw new Error(`${css} is still shown`)
      await sleep(120)
    }
  }

  /**
   * Picks the option labelled `label` from the Element Plus select marked `dataTest`, and
   * checks that the select now shows it. A click that lands while a drawer or the dropdown
   * is still animating can be lost, so it tries again until the choice is seen. Then it
   * clicks `closeBy` (a title) so the dropdown does not cover the next field.
   */
  async chooseOption(dataTest, label, closeBy = '.el-drawer__header') {
    const shown = () => this.execute('return document.querySelector(arguments[0])?.textContent ?? ""', [`[data-test=${dataTest}]`])
    for (let attempt = 0; !(await shown()).includes(label); attempt++) {
      if (attempt >= 5) throw new Error(`could not choose ${label} in ${dataTest}`)
      await this.clickWhenReady(() => this.waitFor(`[data-test=${dataTest}] .el-select__wrapper`))
      // A click while the list still slides in can land on its neighbour, which in a
      // multiple select quietly unticks someone: wait until the option stands still.
      await this.optionStill(label).catch(() => {})
      await this.clickWhenReady(() => this.waitForElementWithText('.el-select-dropdown__item', label, 3000), 5000).catch(() => {})
      await sleep(300)
    }
    await this.clickWhenReady(() => this.waitFor(closeBy))
  }

  /** Waits until the shown option labelled `label` has kept its place for two looks. */
  async optionStill(label, timeout = 3000) {
    const until = Date.now() + timeout
    let last = ''
    for (;;) {
      const rect = await this.execute(
        `const item = [...document.querySelectorAll('.el-select-dropdown__item')]
           .find((e) => e.getClientRects().length > 0 && e.textContent.includes(arguments[0]))
         if (!item) return ''
         const r = item.getBoundingClientRect()
         return [r.x, r.y, r.width, r.height].join(',')`,
        [label],
      )
      if (rect && rect === last) return
      if (Date.now() > until) throw new Error(`option ${label} kept moving`)
      last = rect
      await sleep(100)
    }
  }

  /** Opens the activity form and waits until its drawer has finished sliding in. */
  async openActivityForm() {
    await this.waitForGone('.el-drawer')
    await this.clickWhenReady(() => this.waitFor('[data-test=add-activity]'))
    await this.waitFor('input[data-test=field-title]')
    await this.waitForStill('.el-drawer')
  }

  /**
   * Replaces an input's text and tells the page, as typing would. (WebDriver's clear sends no
   * input event, so Vue's v-model keeps, and restores, the old text; WebKitWebDriver does not
   * take Ctrl+A either.)
   */
  async replaceText(id, text) {
    await this.execute(
      `const input = arguments[0]
       input.focus()
       input.value = arguments[1]
       input.dispatchEvent(new Event('input', { bubbles: true }))`,
      [{ [ELEMENT]: id }, text],
    )
  }

  /** Replaces the number in the Element Plus number input marked `dataTest`. */
  async setNumber(dataTest, value) {
    const input = await this.waitFor(`[data-test=${dataTest}] input`)
    await this.clear(input)
    await this.type(input, String(value) + '\uE004')
  }

  click(id) {
    return this.cmd('POST', `/element/${id}/click`, {})
  }

  clear(id) {
    return this.cmd('POST', `/element/${id}/clear`, {})
  }

  type(id, text) {
    return this.cmd('POST', `/element/${id}/value`, { text })
  }

  text(id) {
    return this.cmd('GET', `/element/${id}/text`)
  }

  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args })
  }

  /**
   * Saves a PNG of the window, after two animation frames so it is not the previous frame.
   *
   * While WebKit takes its snapshot, a one-pixel dot in a corner changes its (all but
   * transparent) colour every 50 ms, so the page paints: WebKitGTK 2.50 without accelerated
   * compositing (`WEBKIT_DISABLE_COMPOSITING_MODE=1`, or the policy Never) takes a snapshot at
   * the page's next paint, and a page left idle never paints, so the snapshot waited for ever
   * (its own MiniBrowser does the same on a static page, and answers in 50–100 ms on a page
   * that repaints). With compositing on, as shipped, the dot changes nothing.
   */
  async screenshot(path) {
    await this.cmd('POST', '/execute/async', {
      script: `const done = arguments[0]
        const dot = document.createElement('div')
        dot.id = 'e2e-repaint'
        dot.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647'
        let odd = false
        window.__e2eRepaint = setInterval(() => {
          odd = !odd
          dot.style.background = odd ? 'rgba(128,128,128,0.02)' : 'rgba(128,128,128,0.01)'
        }, 50)
        document.body.appendChild(dot)
        requestAnimationFrame(() => requestAnimationFrame(() => done()))`,
      args: [],
    })
    try {
      const png = await this.cmd('GET', '/screenshot')
      writeFileSync(path, Buffer.from(png, 'base64'))
    } finally {
      await this.execute("clearInterval(window.__e2eRepaint); document.getElementById('e2e-repaint')?.remove()").catch(() => {})
    }
  }

  async close() {
    await this.cmd('DELETE', '').catch(() => {})
  }
}

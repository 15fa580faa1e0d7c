/**
 * `make bench`, the release app: how fast its window appears and its first screen paints, and
 * how much memory it holds, each beside an empty Tauri 2 window of the same Tauri version and
 * release profile built in the same run (tests/bench/empty-window). Three runs each; the
 * median is reported. Runs under its own Xvfb display (tests/e2e/with-xvfb.sh).
 *
 *   node tests/bench/startup.mjs APP EMPTY_WINDOW DEB BENCH_LEDGER
 *
 * - mapped: spawn → a top-level window of that title is mapped (`mapwatch.c`, built here,
 *   listens for the X server's map events: nothing polls while the app starts);
 * - first screen: spawn → the app's mark "first screen rendered" on stderr (the app sends it
 *   after the records list has painted; the empty window when its page has loaded);
 * - idle PSS: 8 s after the mark, summed over the process and every descendant (the WebKit
 *   web and network processes), from /proc/PID/smaps_rollup;
 * - PSS after 年度统计 is opened on BENCH_LEDGER's year 2024 (about 100,000 records), the app
 *   driven through tauri-driver;
 * - the .deb's size.
 *
 * While iterating: LVZHI_BENCH_RUNS=N runs each N times; LVZHI_BENCH_SKIP_STATS=1 leaves out
 * the 年度统计 figure (and BENCH_LEDGER may then be any word).
 */
import { spawn, execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Session, startDriver } from '../e2e/webdriver.mjs'

const [APP, EMPTY, DEB, LEDGER] = process.argv.slice(2)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const RUNS = Number(process.env.LVZHI_BENCH_RUNS ?? 3)
const SKIP_STATS = process.env.LVZHI_BENCH_SKIP_STATS === '1'

function descendants(pid) {
  const children = new Map()
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1])
      if (!children.has(ppid)) children.set(ppid, [])
      children.get(ppid).push(Number(p))
    } catch {
      // gone
    }
  }
  const all = [pid]
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []))
  return all
}

/** PSS of `pid` and its descendants, in MiB, with the part of each process. */
function pss(pid) {
  let total = 0
  const parts = {}
  for (const p of descendants(pid)) {
    try {
      const kb = Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))[1])
      const name = readFileSync(`/proc/${p}/comm`, 'utf8').trim()
      parts[name] = (parts[name] ?? 0) + kb / 1024
      total += kb / 1024
    } catch {
      // gone, or a kernel thread
    }
  }
  return { total, parts }
}

/** Builds `mapwatch.c` (Xlib) into a scratch directory once. */
function buildMapwatch() {
  const out = join(mkdtempSync(join(tmpdir(), 'lvzhi-bench-mapwatch-')), 'mapwatch')
  execFileSync('cc', ['-O2', '-o', out, join(import.meta.dirname, 'mapwatch.c'), '-lX11'], { stdio: 'inherit' })
  return out
}
const MAPWATCH = buildMapwatch()

/** A `mapwatch` for `title`, once it listens; `mapped` resolves when it has seen the window. */
async function watchMap(title) {
  const watcher = spawn(MAPWATCH, [title], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  let ready
  let mapped
  const isReady = new Promise((r) => (ready = r))
  const isMapped = new Promise((r) => (mapped = r))
  watcher.stdout.on('data', (d) => {
    out += d
    if (out.includes('ready\n')) ready()
    if (out.includes('mapped\n')) mapped(performance.now())
  })
  watcher.once('exit', () => ready())
  await isReady
  if (watcher.exitCode !== null) throw new Error(`mapwatch exited (${watcher.exitCode})`)
  return { watcher, mapped: isMapped }
}

async function launch(binary, title, env) {
  const home = mkdtempSync(join(tmpdir(), 'lvzhi-bench-home-'))
  const watch = await watchMap(title)
  const start = performance.now()
  const child = spawn(binary, [], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  let painted = null
  child.stderr.on('data', (d) => {
    stderr += d
    if (painted === null && stderr.includes('first screen rendered')) painted = performance.now() - start
  })
  let mapped = null
  watch.mapped.then((t) => (mapped = t - start))
  try {
    while (performance.now() - start < 30000) {
      if (mapped !== null && painted !== null) break
      if (child.exitCode !== null) throw new Error(`${binary} exited: ${stderr}`)
      await sleep(50)
    }
  } finally {
    watch.watcher.kill()
  }
  if (mapped === null || painted === null) throw new Error(`${binary}: no window or no mark in 30 s\n${stderr}`)
  await sleep(8000)
  const idle = pss(child.pid)
  child.kill()
  await new Promise((r) => child.once('exit', r))
  return { mapped, painted, idle }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function measure(binary, title, env) {
  const runs = []
  for (let i = 0; i < RUNS; i++) runs.push(await launch(binary, title, env))
  return {
    mapped: median(runs.map((r) => r.mapped)),
    painted: median(runs.map((r) => r.painted)),
    idle: median(runs.map((r) => r.idle.total)),
    // The parts of the start whose total is the median, so that they add up to it.
    parts: [...runs].sort((a, b) => a.idle.total - b.idle.total)[Math.floor(runs.length / 2)].idle.parts,
    paintedRuns: runs.map((r) => Math.round(r.painted)).sort((a, b) => a - b),
  }
}

/** PSS with 年度统计 open on the bench ledger's 2024, driven through tauri-driver. */
async function statsPss() {
  const dir = mkdtempSync(join(tmpdir(), 'lvzhi-bench-stats-'))
  const db = join(dir, 'ledger.db')
  copyFileSync(LEDGER, db)
  // The office's ledger: no first-launch question.
  execFileSync('python3', ['-c', `import sqlite3; c = sqlite3.connect(${JSON.stringify(db)}); c.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('device_role', 'office')"); c.commit()`])
  const d = await startDriver(4490, { LVZHI_DB: db })
  try {
    const s = await Session.create(d.base, APP)
    try {
      // The bench ledger's year is 2024; the window opens on this year.
      await s.waitFor('[data-test=year-select]', 60000)
      await s.chooseOption('year-select', '2024年', '[data-test=view-stats]')
      await s.clickWhenReady(() => s.waitFor('[data-test=view-stats]', 60000), 60000)
      await s.waitForText('[data-test=paragraph]', '全年', 120000)
      await sleep(3000)
      const app = descendants(d.child.pid).find((p) => {
        try {
          return readFileSync(`/proc/${p}/comm`, 'utf8').trim().startsWith('lvzhi-desktop')
        } catch {
          return false
        }
      })
      return pss(app)
    } finally {
      await s.close()
    }
  } finally {
    d.child.kill()
  }
}

const mib = (x) => `${x.toFixed(0)} MiB`
const ms = (x) => `${(x / 1000).toFixed(3)} s`
const app = await measure(APP, '履职台账', {})
const empty = await measure(EMPTY, 'empty-window', {})
const stats = SKIP_STATS ? null : await statsPss()
const deb = statSync(DEB).size / 1024 / 1024

console.log(`release app beside an empty Tauri 2 window (median of ${RUNS} runs)`)
console.log(`  window mapped           ${ms(app.mapped)}   empty ${ms(empty.mapped)}   ratio ${(app.mapped / empty.mapped).toFixed(2)}`)
console.log(`  first screen rendered   ${ms(app.painted)}   empty ${ms(empty.painted)} (blank page loaded)`)
console.log(`    each start, ms: app ${app.paintedRuns.join(' ')}; empty ${empty.paintedRuns.join(' ')}`)
console.log(`  idle PSS after 8 s      ${mib(app.idle)}   empty ${mib(empty.idle)}   ratio ${(app.idle / empty.idle).toFixed(2)}`)
console.log(`    app:   ${Object.entries(app.parts).map(([k, v]) => `${k} ${mib(v)}`).join(', ')}`)
console.log(`    empty: ${Object.entries(empty.parts).map(([k, v]) => `${k} ${mib(v)}`).join(', ')}`)
if (stats) console.log(`  PSS, 年度统计 open on ~100,000 records   ${mib(stats.total)}   (${Object.entries(stats.parts).map(([k, v]) => `${k} ${mib(v)}`).join(', ')})`)
console.log(`  .deb                    ${deb.toFixed(2)} MiB`)

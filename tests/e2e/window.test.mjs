/**
 * End to end through the real window, the things around the records: one instance per
 * ledger, the window's size kept between launches, and what a member sees when the ledger
 * is locked by another program, the disk is full, or the ledger file is corrupt. Each is a
 * clear message in the window, and nothing typed is lost.
 *
 * Runs under tests/e2e/run.sh, which gives it a private D-Bus session bus (the single
 * instance is a D-Bus name on Linux).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver, waitForAppExit } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const APP = join(root, 'target/debug/lvzhi-desktop')
const CLI = join(root, 'target/debug/lvzhi')
const SMALL_DISK = join(root, 'tests/e2e/small-disk.sh')
const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-window-'))
const seed = join(dir, 'seed.db')
const db = join(dir, 'ledger.db')
const env = { LVZHI_DB: db, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

let driver
let s

before(async () => {
  // A ledger with the demo year, whose first-launch question is already answered (office).
  execFileSync(CLI, ['--db', seed, 'demo'])
  copyFileSync(seed, db)
  driver = await startDriver(4466, env)
  s = await Session.create(driver.base, APP)
  await s.waitFor('[data-test=add-activity]')
})

after(async () => {
  await s?.close()
  driver?.child.kill()
})

/** Waits up to `ms` for `child` to exit; its exit code, or null if it is still running. */
function exited(child, ms) {
  return new Promise((done) => {
    const timer = setTimeout(() => done(null), ms)
    child.once('exit', (code) => {
      clearTimeout(timer)
      done(code)
    })
  })
}

test('a second launch on the same ledger hands over to the open window and exits', async () => {
  assert.ok(process.env.DBUS_SESSION_BUS_ADDRESS, 'run this through tests/e2e/run.sh, which starts a session bus')
  const second = spawn(APP, [], { env: { ...process.env, ...env }, stdio: 'ignore' })
  const code = await exited(second, 30000)
  if (code === null) second.kill('SIGKILL')
  assert.equal(code, 0, 'the second instance should have exited on its own')
  // The first window still answers.
  await s.waitForText('[data-test=record-count]', '共')

  // Another ledger is another instance: that one keeps running.
  const other = spawn(APP, [], {
    env: { ...process.env, ...env, LVZHI_DB: join(dir, 'other.db') },
    stdio: 'ignore',
  })
  const stillRunning = (await exited(other, 5000)) === null
  other.kill('SIGKILL')
  assert.ok(stillRunning, 'a window on another ledger should stay open')
})

test('the window keeps its size after a restart', async () => {
  await s.cmd('POST', '/window/rect', { width: 1100, height: 700 })
  const set = await s.cmd('GET', '/window/rect')
  assert.deepEqual([set.width, set.height], [1100, 700])
  // The size is written shortly after the last resize (and again when the app exits).
  await sleep(2000)
  await s.close()
  await waitForAppExit(db)
  s = await Session.create(driver.base, APP)
  await s.waitFor('[data-test=add-activity]')
  const got = await s.cmd('GET', '/window/rect')
  assert.deepEqual([got.width, got.height], [1100, 700])
})

test('Ctrl+ enlarges the page, and the size chosen survives a restart', async () => {
  await s.waitFor('[data-test=add-activity]')
  const width = () => s.execute('return window.innerWidth')
  const press = async (key) => s.type(await s.waitFor('input[data-test=filter-text]'), `\uE009${key}\uE000`)
  const before = await width()
  // Ctrl and = as a person presses them (the null key releases Ctrl), twice.
  await press('=')
  await s.waitFor('html[data-zoom="1.1"]')
  await press('=')
  await s.waitFor('html[data-zoom="1.2"]')
  const zoomed = await width()
  assert.ok(zoomed < before * 0.9, `the page is drawn larger: ${zoomed} CSS px wide, was ${before}`)
  await s.close()
  await waitForAppExit(db)
  s = await Session.create(driver.base, APP)
  await s.waitFor('[data-test=add-activity]')
  try {
    await s.waitFor('html[data-zoom="1.2"]')
    assert.ok((await width()) < before * 0.9, 'still larger after the restart')
    assert.ok((await s.execute("return document.querySelector('[data-test=font-size]').textContent")).includes('120%'))
  } finally {
    await press('0')
    await s.waitFor('html[data-zoom="1"]')
  }
})

test('a ledger locked by another program: a clear message, the form kept, then saved', async () => {
  // Another program holds the ledger's write lock until told to let go.
  const holder = spawn(
    'python3',
    ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute("BEGIN EXCLUSIVE")\nprint("locked", flush=True)\nsys.stdin.readline()\nc.execute("ROLLBACK")', db],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  await new Promise((r) => holder.stdout.once('data', r))
  try {
    await s.openActivityForm()
    await s.type(await s.waitFor('input[data-test=field-title]'), '锁住时登记的活动')
    await s.clickWhenReady(() => s.waitFor('[data-test=save-activity]'))
    // The ledger waits five seconds for the lock before giving up.
    await s.waitForText('.el-message', '数据库正被其他程序占用', 20000)
    const kept = await s.execute("return document.querySelector('input[data-test=field-title]').value")
    assert.equal(kept, '锁住时登记的活动')
  } finally {
    holder.stdin.end('\n')
    await exited(holder, 5000)
  }
  await s.clickWhenReady(() => s.waitFor('[data-test=save-activity]'))
  await s.waitForGone('.el-drawer')
  await s.waitForText('[data-test=row-title]', '锁住时登记的活动')
  const stored = JSON.parse(execFileSync(CLI, ['--db', db, 'activity', 'list', '--json'], { encoding: 'utf8' }))
  assert.ok(stored.some((a) => a.title === '锁住时登记的活动'))
})

test('a corrupt ledger file: a clear message instead of a blank window', async () => {
  const bad = join(dir, 'corrupt.db')
  writeFileSync(bad, 'SQLite format 3\0'.padEnd(4096, 'x'))
  const d = await startDriver(4470, { ...env, LVZHI_DB: bad })
  const w = await Session.create(d.base, APP)
  try {
    await w.waitForText('[data-test=open-error]', '台账文件已损坏')
    await w.waitForText('[data-test=open-error]', bad)
  } finally {
    await w.close()
    d.child.kill()
  }
})

test('a full disk: a clear message, and the form kept', async () => {
  const disk = join(dir, 'small-disk')
  mkdirSync(disk)
  const d = await startDriver(4474, {
    ...env,
    LVZHI_DB: join(disk, 'ledger.db'),
    LVZHI_E2E_SMALL_DISK: disk,
    LVZHI_E2E_SEED: seed,
    LVZHI_E2E_APP: APP,
  })
  const w = await Session.create(d.base, SMALL_DISK)
  try {
    await w.waitFor('[data-test=add-activity]')
    await w.openActivityForm()
    await w.type(await w.waitFor('input[data-test=field-title]'), '磁盘满时登记的活动')
    const notes = await w.waitFor('textarea[data-test=field-notes]')
    // As long as a note may be (5,000 characters): more than the disk has room for.
    await w.replaceText(notes, '很长的备注。'.repeat(833))
    await w.clickWhenReady(() => w.waitFor('[data-test=save-activity]'))
    await w.waitForText('.el-message', '磁盘已满', 20000)
    assert.equal(await w.execute("return document.querySelector('input[data-test=field-title]').value"), '磁盘满时登记的活动')
    assert.equal(await w.execute("return document.querySelector('textarea[data-test=field-notes]').value.length"), 4998)
    // The step that saved a shorter record afterwards is left out: with notes limited to
    // 5,000 characters, a record that does not fit and one that does differ by a few KiB on
    // this disk, too little to hold in the app (see the session notes).
  } finally {
    await w.close()
    d.child.kill()
  }
})

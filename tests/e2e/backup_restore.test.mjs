/**
 * End to end through the real window, backups and restoring one: the app backs the ledger
 * up when it opens it on a new day, 立即备份 writes a backup into a folder, a record typed
 * afterwards disappears again when the morning's backup is restored (and the ledger as it was
 * is kept as a backup of its own), a file picked in the open dialog restores the same way;
 * and a corrupt ledger with a backup beside it opens on the recovery screen, whose restore
 * brings the window back. The CLI, on the same files, checks what the window did. The folder
 * and open dialogs are answered through LVZHI_E2E_SAVE_DIR and LVZHI_E2E_OPEN_FILE, and the
 * file manager through LVZHI_E2E_SHOWN_FOLDERS (debug builds only; see src-tauri/src/dialogs.rs).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const APP = join(root, 'target/debug/lvzhi-desktop')
const CLI = join(root, 'target/debug/lvzhi')
const ARTIFACTS = join(root, 'tests/e2e/artifacts')
mkdirSync(ARTIFACTS, { recursive: true })

const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-backup-'))
const db = join(dir, 'ledger.db')
const saveDir = join(dir, '我的备份')
const picked = join(dir, 'picked.db')
const shown = join(dir, 'shown-folders.txt')
mkdirSync(saveDir)
const cli = (ledger, ...args) => execFileSync(CLI, ['--db', ledger, ...args], { encoding: 'utf8' })
const titles = (ledger) => JSON.parse(cli(ledger, 'activity', 'list', '--json')).map((a) => a.title)

let driver
let s

before(async () => {
  // The demo year in a ledger made yesterday, as far as the app can tell: the first opening
  // today backs it up.
  const seed = join(dir, 'seed.db')
  cli(seed, 'demo')
  copyFileSync(seed, db)
  driver = await startDriver(4480, {
    LVZHI_DB: db,
    LVZHI_E2E_SAVE_DIR: saveDir,
    LVZHI_E2E_OPEN_FILE: picked,
    LVZHI_E2E_SHOWN_FOLDERS: shown,
  })
  s = await Session.create(driver.base, APP)
  await s.waitFor('[data-test=add-activity]')
})

after(async () => {
  await s?.close()
  driver?.child.kill()
})

/** Logs a record with just a title through the form, and waits until the list shows it. */
async function logRecord(title) {
  await s.clickWhenReady(() => s.waitFor('[data-test=view-records]'))
  await s.openActivityForm()
  await s.type(await s.waitFor('input[data-test=field-title]'), title)
  // A click that lands while the drawer settles is sometimes lost (seen once in a few runs):
  // clicked again only when the ledger does not hold the record, so it is never saved twice.
  for (let attempt = 1; ; attempt++) {
    await s.clickWhenReady(() => s.waitFor('[data-test=save-activity]'))
    try {
      await s.waitForGone('.el-drawer', 8000)
      break
    } catch (err) {
      if (titles(db).includes(title)) {
        await s.waitForGone('.el-drawer', 15000)
        break
      }
      await s.screenshot(join(ARTIFACTS, 'backup-form-failed.png'))
      if (attempt >= 3) throw err
    }
  }
  await s.waitForText('[data-test=row-title]', title)
}

/** Confirms the restore dialog, and waits until the window is back on the records. */
async function confirmRestore() {
  await s.waitForStill('[data-test=restore-dialog]')
  await s.clickWhenReady(() => s.waitFor('[data-test=confirm-restore]'))
  await s.waitForText('.el-message', '已恢复', 20000)
  await s.waitFor('[data-test=add-activity]')
}

test('a backup now, a change, and a restore of the morning backup bring the old ledger back', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=view-backups]'))
  await s.waitForText('[data-test=backup-table]', '每日自动备份')
  await s.waitForText('[data-test=backup-summary]', '委员 70 人，记录 105 条（2024年 105 条）')

  await s.clickWhenReady(() => s.waitFor('[data-test=backup-now]'))
  await s.waitForText('.el-message', '已备份到')
  const saved = readdirSync(saveDir)
  assert.equal(saved.length, 1, `one backup in the picked folder: ${saved}`)
  assert.match(saved[0], /^ledger\.backup-\d{8}-\d{6}-\d{3}-manual\.db$/)
  await s.screenshot(join(ARTIFACTS, 'backup.png'))

  await s.clickWhenReady(() => s.waitFor('[data-test=view-records]'))
  const before = (await s.waitForText('[data-test=record-count]', '共'))[0]
  await logRecord('备份之后登记的活动')
  assert.notEqual((await s.waitForText('[data-test=record-count]', '共'))[0], before)
  assert.ok(titles(db).includes('备份之后登记的活动'))

  await s.clickWhenReady(() => s.waitFor('[data-test=view-backups]'))
  await s.waitForText('[data-test=backup-table]', '每日自动备份')
  await s.clickWhenReady(() => s.waitFor('[data-test=restore-backup]'))
  await s.waitForText('[data-test=restore-dialog]', '当前台账将被这份备份替换')
  await s.waitForText('[data-test=restore-years]', '105')
  await s.screenshot(join(ARTIFACTS, 'backup-confirm.png'))
  await confirmRestore()

  await s.waitForText('[data-test=record-count]', before)
  const shownTitles = await s.execute("return Array.from(document.querySelectorAll('[data-test=row-title]')).map((e) => e.textContent)")
  assert.ok(!shownTitles.includes('备份之后登记的活动'), 'the window shows the restored ledger')
  assert.ok(!titles(db).includes('备份之后登记的活动'), 'the file is the restored one')
  // The ledger as it was before the restore is a backup of its own, with the record in it.
  const kept = JSON.parse(cli(db, 'backup', 'list', '--json')).find((b) => b.reason === 'restore')
  assert.equal(kept.preview.records, 106)
})

test('a backup saved by 立即备份 is restored from the open dialog', async () => {
  copyFileSync(join(saveDir, readdirSync(saveDir)[0]), picked)
  const before = (await s.waitForText('[data-test=record-count]', '共'))[0]
  await logRecord('又一条新记录')
  await s.clickWhenReady(() => s.waitFor('[data-test=view-backups]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=restore-from-file]'))
  await s.waitForText('[data-test=restore-dialog]', picked)
  await confirmRestore()
  await s.waitForText('[data-test=record-count]', before)
  assert.ok(!titles(db).includes('又一条新记录'))
})

test('a corrupt ledger opens on the recovery screen, whose restore brings the window back', async () => {
  const brokenDir = join(dir, 'broken')
  mkdirSync(brokenDir)
  const ledger = join(brokenDir, 'ledger.db')
  cli(ledger, 'demo')
  cli(ledger, 'backup')
  writeFileSync(ledger, 'SQLite format 3\0'.padEnd(4096, 'x'))
  const d = await startDriver(4484, { LVZHI_DB: ledger, LVZHI_E2E_SHOWN_FOLDERS: shown })
  const w = await Session.create(d.base, APP)
  try {
    await w.waitForText('[data-test=recovery-advice]', '台账文件已损坏')
    await w.waitForText('[data-test=backup-summary]', '记录 105 条')
    const text = await w.execute("return document.querySelector('[data-test=open-error]').textContent")
    assert.ok(!text.includes('联系办公室'), text)
    await w.clickWhenReady(() => w.waitFor('[data-test=open-folder]'))
    const until = Date.now() + 5000
    while (!(existsSync(shown) && readFileSync(shown, 'utf8').includes(brokenDir)) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100))
    }
    assert.ok(readFileSync(shown, 'utf8').split('\n').includes(brokenDir), 'the ledger’s folder is shown')
    await w.screenshot(join(ARTIFACTS, 'recovery.png'))

    await w.clickWhenReady(() => w.waitFor('[data-test=restore-backup]'))
    await w.waitForStill('[data-test=restore-dialog]')
    await w.clickWhenReady(() => w.waitFor('[data-test=confirm-restore]'))
    await w.waitFor('[data-test=add-activity]', 20000)
    await w.waitForText('[data-test=record-count]', '共')
  } finally {
    await w.close()
    d.child.kill()
  }
  const t = JSON.parse(cli(ledger, 'tally', '--year', '2024', '--json'))
  assert.equal(t.activities.exact, 56)
  const kept = JSON.parse(cli(ledger, 'backup', 'list', '--json')).find((b) => b.reason === 'restore')
  assert.match(kept.problem, /无法读取备份文件/, 'the damaged file is kept, and listed as not restorable')
})

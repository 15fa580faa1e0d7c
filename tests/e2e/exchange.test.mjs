/**
 * End to end through two real windows, one ledger each: a member's laptop imports the
 * office's roster package, logs a record and exports it through 导出给办公室; the office
 * previews and merges that package through 导入委员数据, sees the member's key fingerprint,
 * and accepts the record. The dialogs are answered through LVZHI_E2E_SAVE_DIR and
 * LVZHI_E2E_OPEN_FILE (see dialogs.rs); the CLI checks what each ledger stored.
 */
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const APP = join(root, 'target/debug/lvzhi-desktop')
const CLI = join(root, 'target/debug/lvzhi')
const ARTIFACTS = join(root, 'tests/e2e/artifacts')
const dir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-exchange-'))
const office = join(dir, 'office.db')
const laptop = join(dir, 'laptop.db')
const outbox = join(dir, 'outbox')
mkdirSync(outbox)
const lvzhi = (db, ...args) => execFileSync(CLI, ['--db', db, ...args], { encoding: 'utf8' })

const open = []
after(async () => {
  for (const [s, d] of open) {
    await s.close()
    d.child.kill()
  }
})

async function launch(port, env) {
  const d = await startDriver(port, { ...env, XDG_DATA_HOME: join(dir, `data-${port}`) })
  const s = await Session.create(d.base, APP)
  open.push([s, d])
  return s
}

let memberFingerprint = ''
let packageFile = ''

test('a member imports the roster package, logs a record and exports it for the office', async () => {
  lvzhi(office, 'member', 'add', '--code', '15001', '--name', '王强', '--sector', '医药卫生')
  lvzhi(office, 'studio', 'add', '--name', '医药卫生界别委员工作室', '--kind', 'sector', '--lead', '15001')
  const roster = join(dir, '名单包.lvzhi')
  lvzhi(office, 'roster-package', 'export', '--out', roster)

  const s = await launch(4478, { LVZHI_DB: laptop, LVZHI_E2E_OPEN_FILE: roster, LVZHI_E2E_SAVE_DIR: outbox })
  // First launch, before any roster has arrived: the member types their name and code.
  await s.waitFor('[data-test=setup-dialog]')
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-member]'))
  await s.type(await s.waitFor('input[data-test=setup-name]'), '王强')
  await s.type(await s.waitFor('input[data-test=setup-code]'), '15001')
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-save]'))
  await s.waitForGone('[data-test=setup-dialog]')

  await s.clickWhenReady(() => s.waitFor('[data-test=view-exchange]'))
  memberFingerprint = (await s.waitForText('[data-test=own-fingerprint]', ' '))[0]
  assert.match(memberFingerprint, /^[0-9A-F]{4}( [0-9A-F]{4}){4}$/)
  await s.clickWhenReady(() => s.waitFor('[data-test=import-roster-package]'))
  await s.waitForText('.el-message', '工作室 1 个')

  await s.clickWhenReady(() => s.waitFor('[data-test=view-records]'))
  await s.openActivityForm()
  await s.type(await s.waitFor('input[data-test=field-title]'), '义诊进社区')
  await s.chooseOption('field-studio', '医药卫生界别委员工作室')
  await s.setNumber('field-served', 120)
  await s.clickWhenReady(() => s.waitFor('[data-test=save-activity]'))
  await s.waitForText('[data-test=row-title]', '义诊进社区')

  await s.clickWhenReady(() => s.waitFor('[data-test=view-exchange]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=export-package]'))
  await s.waitForText('.el-message', '已保存')
  await s.screenshot(join(ARTIFACTS, 'exchange-member.png'))
  const written = readdirSync(outbox).filter((f) => f.endsWith('.lvzhi'))
  assert.equal(written.length, 1)
  assert.match(written[0], /^王强-\d{4}-\d{4}\.lvzhi$/)
  packageFile = join(outbox, written[0])
})

test('the office previews and merges the package, sees the key, and accepts the record', async () => {
  assert.ok(packageFile, 'the member part ran first')
  const s = await launch(4482, { LVZHI_DB: office, LVZHI_E2E_OPEN_FILE: packageFile })
  await s.waitFor('[data-test=setup-dialog]')
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-office]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=setup-save]'))
  await s.waitForGone('[data-test=setup-dialog]')

  await s.clickWhenReady(() => s.waitFor('[data-test=view-exchange]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=pick-package]'))
  await s.waitForText('[data-test=package-counts]', '新增 1，更新 0，未变 0，冲突 0，待处理 0')
  await s.waitForText('[data-test=package-new-key]', memberFingerprint)
  assert.equal(JSON.parse(lvzhi(office, 'activity', 'list', '--json')).length, 0, 'a preview writes nothing')
  await s.clickWhenReady(() => s.waitFor('[data-test=apply-package]'))
  await s.waitForText('.el-message', '已合并：新增 1')
  const merged = JSON.parse(lvzhi(office, 'activity', 'list', '--json'))
  assert.equal(merged.length, 1)
  assert.equal(merged[0].title, '义诊进社区')
  assert.equal(merged[0].studio_name, '医药卫生界别委员工作室')

  await s.clickWhenReady(() => s.waitForElementWithText('.el-tabs__item', '电脑标识'))
  await s.waitForText('[data-test=member-keys]', memberFingerprint)
  await s.screenshot(join(ARTIFACTS, 'exchange-office.png'))

  // Merging the same file again changes nothing, and says so.
  await s.clickWhenReady(() => s.waitFor('[data-test=pick-package]'))
  await s.waitFor('[data-test=package-already]')

  await s.clickWhenReady(() => s.waitFor('[data-test=view-records]'))
  await s.waitForText('[data-test=row-title]', '义诊进社区')
  await s.execute("document.querySelector('[data-test=accept-activity]').click()")
  await s.waitFor('[data-test=status-accepted]')
  assert.equal(JSON.parse(lvzhi(office, 'activity', 'list', '--json'))[0].status, 'accepted')
})

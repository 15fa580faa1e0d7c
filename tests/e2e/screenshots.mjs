/**
 * Retakes docs/screenshots/ from the real window on a fresh demo ledger: the main screen,
 * the form, the statistics, the import screen, 会议考勤 (meetings, a roll, rates), 履职积分 (score-demo*.png), the first-launch / 本机 dialog, the English
 * toggle, 提案与社情民意 (proposals.png, opinions.png), 备份与恢复, the recovery screen shown for a corrupt ledger file, and
 * (screenshots-exchange.mjs) the office's conflicts and records waiting. Run through
 * tests/e2e/screenshots.sh (Xvfb).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const out = join(root, 'docs/screenshots')
mkdirSync(out, { recursive: true })
const dataHome = mkdtempSync(join(tmpdir(), 'lvzhi-shots-'))

// A roster with one problem, for the 导入名单 screen.
const roster = join(dataHome, '名单.csv')
writeFileSync(
  roster,
  '\ufeffXX市政协第十五届委员名单\r\n委员编号,姓名,性别,界别,联系电话\r\n' +
    '15001,王建国,男,中共,13900001357\r\n15070,周晓燕,女,教育,13900005555\r\n15071,郑国平,不详,经济,139000066\r\n合计,3人,,,\r\n',
)
const driver = await startDriver(4460, {
  XDG_DATA_HOME: dataHome,
  LVZHI_DEMO: '1',
  LVZHI_DB: '',
  LVZHI_E2E_OPEN_FILE: roster,
})
const s = await Session.create(driver.base, join(root, 'target/debug/lvzhi-desktop'))
try {
  await s.waitForText('[data-test=summary-activities]', '50多次')
  // The office opens on what awaits review; two of them ticked for a batch review.
  await s.waitForText('[data-test=summary-waiting]', '待审核 9 条')
  await s.waitFor('[data-test=tick-row]')
  await s.execute("document.querySelectorAll('[data-test=tick-row] input')[0].click(); document.querySelectorAll('[data-test=tick-row] input')[1].click()")
  await s.waitForText('[data-test=batch-bar]', '已勾选 2 条')
  await new Promise((r) => setTimeout(r, 300))
  await s.screenshot(join(out, 'main.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=batch-clear]'))
  await s.chooseOption('filter-status', '全部状态', '.toolbar .count')
  await s.waitForText('[data-test=record-count]', '共 105 条')

  // The edit button of the first studio activity; clicked by script, since the sticky actions
  // column makes WebKit report the click as intercepted by the cell it sits in.
  await s.execute(`
    const row = Array.from(document.querySelectorAll('.el-table-v2__row'))
      .find((r) => r.textContent.includes('工作室活动'))
    row.querySelector('[data-test=edit-activity]').click()`)
  await s.waitFor('input[data-test=field-title]')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'form.png'))
  await s.execute("document.querySelector('.el-drawer__close-btn')?.click()")
  await new Promise((r) => setTimeout(r, 500))

  await s.waitForGone('.el-drawer')

  // An assistance record: the amount, the recipient and the forms it took.
  await s.execute(`
    const row = Array.from(document.querySelectorAll('.el-table-v2__row'))
      .find((r) => r.textContent.includes('结对助学帮扶平昌县'))
    row.querySelector('[data-test=edit-activity]').click()`)
  await s.waitFor('input[data-test=field-recipient]')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'form-assistance.png'))
  await s.execute("document.querySelector('.el-drawer__close-btn')?.click()")
  await new Promise((r) => setTimeout(r, 500))
  await s.waitForGone('.el-drawer')

  await s.clickWhenReady(() => s.waitFor('[data-test=view-stats]'))
  await s.waitForText('[data-test=paragraph]', '全年')
  await new Promise((r) => setTimeout(r, 1500))
  await s.screenshot(join(out, 'stats.png'))
  await s.execute("document.querySelector('.stats').scrollTop = 10000")
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'stats-breakdown.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=edit-template]'))
  await s.waitForText('[data-test=template-preview]', '委员工作室开展各类活动')
  await new Promise((r) => setTimeout(r, 600))
  await s.screenshot(join(out, 'template-editor.png'))
  await s.execute("document.querySelector('[data-test=template-dialog] .el-dialog__headerbtn')?.click()")
  await s.waitForGone('[data-test=template-dialog]')
  await s.clickWhenReady(() => s.waitFor('[data-test=total-proposals]'))
  await s.waitForText('[data-test=drill-count]', '5')
  await new Promise((r) => setTimeout(r, 600))
  await s.screenshot(join(out, 'stats-drill.png'))
  await s.execute("document.querySelector('[data-test=drill-dialog] .el-dialog__headerbtn')?.click()")
  await s.waitForGone('[data-test=drill-dialog]')
  await s.clickWhenReady(() => s.waitFor('[data-test=view-import]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=pick-roster]'))
  await s.waitForText('[data-test=import-counts]', '有问题')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'import.png'))

  // 会议考勤: the demo year's meetings, the roll of the plenary, and the rates.
  await s.clickWhenReady(() => s.waitFor('[data-test=view-meetings]'))
  await s.waitForText('[data-test=meeting-list]', '政协第十五届委员会第三次会议')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'meetings.png'))
  await s.execute(`
    const row = Array.from(document.querySelectorAll('[data-test=meeting-list] .el-table__body tr'))
      .find((r) => r.textContent.includes('全体会议'))
    row.querySelector('[data-test=meeting-roll]').click()`)
  await s.waitFor('[data-test=roll-table] .el-radio-button')
  await s.waitForStill('.el-dialog[data-test=roll-dialog], [data-test=roll-dialog] .el-dialog')
  await s.screenshot(join(out, 'meetings-roll.png'))
  await s.execute("document.querySelector('[data-test=roll-dialog] .el-dialog__headerbtn')?.click()")
  await s.waitForGone('.el-dialog[data-test=roll-dialog], [data-test=roll-dialog] .el-dialog')
  await s.clickWhenReady(() => s.waitForElementWithText('.el-tabs__item', '出席率'))
  await s.waitForText('[data-test=rates-sectors]', '%')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'meetings-rates.png'))

  // 履职积分: the demo year's ranking under the suggested rules, and the first member's items
  // opened down to their meetings and records.
  await s.clickWhenReady(() => s.waitFor('[data-test=view-score]'))
  await s.waitFor('[data-test=score-row-total]')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'score-demo.png'))
  await s.execute("document.querySelector('[data-test=score-open]').click()")
  await s.waitFor('[data-test=score-detail-total]')
  await s.waitForStill('.el-drawer')
  await s.execute("document.querySelector('[data-test=score-detail-items] .el-collapse-item__header')?.click()")
  await s.waitFor('[data-test=score-fact-title]')
  await new Promise((r) => setTimeout(r, 600))
  await s.screenshot(join(out, 'score-demo-detail.png'))
  await s.execute("document.querySelector('.el-drawer__close-btn')?.click()")
  await s.waitForGone('.el-drawer')
  await s.clickWhenReady(() => s.waitFor('[data-test=view-records]'))

  await s.clickWhenReady(() => s.waitFor('[data-test=open-setup]'))
  await s.waitFor('[data-test=setup-dialog]')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'setup.png'))
  await s.execute("document.querySelector('[data-test=setup-dialog] .el-dialog__headerbtn')?.click()")
  await s.waitForGone('[data-test=setup-dialog]')

  await s.clickWhenReady(() => s.waitFor('[data-test=toggle-language]'))
  await s.waitForText('[data-test=add-activity]', 'Log activity')
  await s.screenshot(join(out, 'main-en.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=view-stats]'))
  await s.waitForText('[data-test=paragraph]', '全年')
  await new Promise((r) => setTimeout(r, 1500))
  await s.screenshot(join(out, 'stats-en.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=view-records]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=toggle-language]'))

  // 提案与社情民意: the demo's proposals at every stage, and its opinion reports' adoptions.
  await s.clickWhenReady(() => s.waitFor('[data-test=view-proposals]'))
  await s.waitForText('[data-test=filing-tag]', '立案')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'proposals.png'))
  await s.clickWhenReady(() => s.waitFor('#tab-opinions'))
  await s.waitForText('[data-test=adoption-tag]', '省级采用')
  await new Promise((r) => setTimeout(r, 500))
  await s.screenshot(join(out, 'opinions.png'))
  await s.clickWhenReady(() => s.waitFor('[data-test=view-records]'))
} finally {
  await s.close()
  driver.child.kill()
}

// 数据交换 on both sides: a member's laptop (made with the CLI: the demo roster, two
// records, one of them with a script typed as its title) exports a package; the office,
// on the demo ledger, previews it.
const cli = (db, ...args) => execFileSync(join(root, 'target/debug/lvzhi'), ['--db', db, ...args], { encoding: 'utf8' })
const laptop = join(dataHome, 'laptop.db')
cli(laptop, 'member', 'add', '--code', '15001', '--name', '王建国')
cli(laptop, 'activity', 'add', '--date', '2024-07-02', '--category', 'inspection', '--title', '走访小微企业听取意见', '--member', '15001', '--author', '15001', '--served', '40')
cli(laptop, 'activity', 'add', '--date', '2024-07-09', '--category', 'opinion_report', '--title', '关于老旧小区加装电梯的建议', '--member', '15001', '--author', '15001')
const pkg = join(dataHome, '王建国-2024-0710.lvzhi')
cli(laptop, 'package', 'export', '--member', '15001', '--year', '2024', '--out', pkg)
const officeHome = mkdtempSync(join(tmpdir(), 'lvzhi-shots-office-'))
const exchange = await startDriver(4468, { XDG_DATA_HOME: officeHome, LVZHI_DEMO: '1', LVZHI_DB: '', LVZHI_E2E_OPEN_FILE: pkg })
const x = await Session.create(exchange.base, join(root, 'target/debug/lvzhi-desktop'))
try {
  await x.clickWhenReady(() => x.waitFor('[data-test=view-exchange]'))
  await x.clickWhenReady(() => x.waitFor('[data-test=pick-package]'))
  await x.waitFor('[data-test=package-counts]')
  await new Promise((r) => setTimeout(r, 500))
  await x.screenshot(join(out, 'exchange-office.png'))
} finally {
  await x.close()
  exchange.child.kill()
}
const memberHome = mkdtempSync(join(tmpdir(), 'lvzhi-shots-member-'))
const member = await startDriver(4472, { XDG_DATA_HOME: memberHome, LVZHI_DB: laptop })
const m = await Session.create(member.base, join(root, 'target/debug/lvzhi-desktop'))
try {
  await m.waitFor('[data-test=setup-dialog]')
  await m.clickWhenReady(() => m.waitFor('[data-test=setup-member]'))
  await m.chooseOption('setup-owner', '王建国（15001）', '.el-dialog__header')
  await m.clickWhenReady(() => m.waitFor('[data-test=setup-save]'))
  await m.waitForGone('[data-test=setup-dialog]')
  // The window opens on the latest year with records; pick 2024 only if it did not.
  const shownYear = () => m.execute("return document.querySelector('[data-test=year-select]')?.textContent ?? ''")
  if (!(await shownYear()).includes('2024年')) {
    await m.clickWhenReady(() => m.waitFor('[data-test=year-select] .el-select__wrapper'))
    await m.clickWhenReady(() => m.waitForElementWithText('.el-select-dropdown__item', '2024年'))
  }
  await m.clickWhenReady(() => m.waitFor('[data-test=view-exchange]'))
  await m.waitForText('[data-test=own-fingerprint]', ' ')
  await new Promise((r) => setTimeout(r, 500))
  await m.screenshot(join(out, 'exchange-member.png'))
  // A member's own 档案, at the 大 text size.
  await m.clickWhenReady(() => m.waitFor('[data-test=view-mine]'))
  await m.waitForText('[data-test=mine-paragraph]', '全年')
  await m.chooseOption('font-size', '字号：大', '[data-test=my-record] h2')
  await new Promise((r) => setTimeout(r, 800))
  await m.screenshot(join(out, 'my-record.png'))
} finally {
  await m.close()
  member.child.kill()
}

// 备份与恢复 on a demo ledger with backups beside it (the CLI's: the day's first opening
// and 立即备份), and the recovery screen the same ledger opens on once its file is damaged:
// what happened, the ways out, and the same backups to restore.
const backed = join(dataHome, 'backed', 'lvzhi.db')
cli(backed, 'demo')
cli(backed, 'backup')
const backups = await startDriver(4476, { XDG_DATA_HOME: dataHome, LVZHI_DB: backed })
const b = await Session.create(backups.base, join(root, 'target/debug/lvzhi-desktop'))
try {
  await b.clickWhenReady(() => b.waitFor('[data-test=view-backups]'))
  await b.waitForText('[data-test=backup-summary]', '委员 70 人')
  await new Promise((r) => setTimeout(r, 500))
  await b.screenshot(join(out, 'backup.png'))
} finally {
  await b.close()
  backups.child.kill()
}
writeFileSync(backed, 'SQLite format 3\0'.padEnd(4096, 'x'))
const broken = await startDriver(4464, { XDG_DATA_HOME: dataHome, LVZHI_DB: backed })
const e = await Session.create(broken.base, join(root, 'target/debug/lvzhi-desktop'))
try {
  await e.waitForText('[data-test=recovery-advice]', '台账文件已损坏')
  await e.waitForText('[data-test=backup-summary]', '委员 70 人')
  await new Promise((r) => setTimeout(r, 500))
  await e.screenshot(join(out, 'recovery.png'))
} finally {
  await e.close()
  broken.child.kill()
}
console.log(`screenshots written to ${out}`)

// The office's conflicts field by field and the records waiting (exchange-conflict.png,
// exchange-quarantine.png), on a ledger of their own.
await import('./screenshots-exchange.mjs')

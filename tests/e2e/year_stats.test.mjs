/**
 * End to end through the real window, as a secretary closing the year: the demo ledger opens,
 * 年度统计 shows the year-end paragraph, a figure opens its records, and the exports and an
 * annual member record are written where the save dialog points and read back.
 *
 * A GTK save dialog cannot be driven through WebDriver, so the app is started with
 * LVZHI_E2E_SAVE_DIR, which answers every save dialog with that folder and the suggested name.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Session, startDriver } from './webdriver.mjs'

const root = resolve(import.meta.dirname, '../..')
const APP = join(root, 'target/debug/lvzhi-desktop')
const CLI = join(root, 'target/debug/lvzhi')
const ARTIFACTS = join(root, 'tests/e2e/artifacts')

const dataHome = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-data-'))
const saveDir = mkdtempSync(join(tmpdir(), 'lvzhi-e2e-save-'))
const demoDb = join(dataHome, 'cn.lvzhi.ledger', 'demo.db')

const PARAGRAPH =
  '2024年全年，委员工作室开展各类活动50多次，服务群众1万多人次；另组织视察调研、培训、外出学习考察等活动4次。' +
  '开展“请你来协商”议政活动6次，形成调研成果8篇，编报社情民意信息15篇。' +
  '《关于实施西城街道童宅村应急供水工程的建议》等5件提案即交即办，均已办复。' +
  '营商环境监测平台全年共收到各类信息392条，均得到快速解答或有效落实。' +
  '通过物资帮扶、消费帮扶、资金帮扶等形式，向平昌县对口帮扶资金90多万元。'

let driver
let s

before(async () => {
  driver = await startDriver(4454, {
    XDG_DATA_HOME: dataHome,
    LVZHI_DEMO: '1',
    LVZHI_DB: '',
    LVZHI_E2E_SAVE_DIR: saveDir,
  })
  s = await Session.create(driver.base, APP)
})

after(async () => {
  await s?.close()
  driver?.child.kill()
})

async function waitForFile(path, timeout = 15000) {
  const until = Date.now() + timeout
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`${path} was not written`)
    await new Promise((r) => setTimeout(r, 150))
  }
}

test('the year-end paragraph of the demo year is shown word for word', async () => {
  await s.waitForText('[data-test=summary-activities]', '50多次')
  await s.clickWhenReady(() => s.waitFor('[data-test=view-stats]'))
  const texts = await s.waitForText('[data-test=paragraph]', '全年')
  assert.equal(texts[0], PARAGRAPH)
  // The CLI, reading the same file, states the same paragraph.
  const tally = JSON.parse(execFileSync(CLI, ['--db', demoDb, 'tally', '--year', '2024', '--json'], { encoding: 'utf8' }))
  assert.equal(tally.paragraph, PARAGRAPH)
  await s.screenshot(join(ARTIFACTS, 'year-stats.png'))
})

test('a figure opens the records behind it', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=total-proposals]'))
  await s.waitForText('[data-test=drill-count]', '共 5 条')
  const titles = await s.waitForText('[data-test=drill-title]', '童宅村')
  assert.equal(titles.length, 5)
  await s.execute("document.querySelector('[data-test=drill-dialog] .el-dialog__headerbtn')?.click()")
  await s.waitForGone('[data-test=drill-dialog]')
})

test('exports through the save dialog and reads them back', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=export-csv]'))
  // The demo ledger is 永康市政协's: the suggested name carries it.
  const csvPath = join(saveDir, '永康市政协2024年度履职统计.csv')
  await waitForFile(csvPath)
  const csv = readFileSync(csvPath, 'utf8')
  assert.ok(csv.startsWith('\ufeff日期,类别,标题,'), csv.slice(0, 60))
  assert.equal(csv.trim().split('\r\n').length, 1 + 105)
  assert.ok(csv.includes('关于实施西城街道童宅村应急供水工程的建议'))

  await s.clickWhenReady(() => s.waitFor('[data-test=export-xlsx]'))
  const xlsxPath = join(saveDir, '永康市政协2024年度履职统计.xlsx')
  await waitForFile(xlsxPath)
  const sheets = execFileSync('python3', [
    '-c',
    'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.read("xl/workbook.xml").decode())',
    xlsxPath,
  ], { encoding: 'utf8' })
  for (const name of ['汇总', '按工作室', '按界别', '按委员', '按月份', '活动明细']) {
    assert.ok(sheets.includes(`name="${name}"`), `sheet ${name}`)
  }

  // The year report as a Word document, with the paragraph in it.
  await s.clickWhenReady(() => s.waitFor('[data-test=export-docx]'))
  const docxPath = join(saveDir, '永康市政协2024年度履职统计报告.docx')
  await waitForFile(docxPath)
  const body = execFileSync('python3', [
    '-c',
    'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode())',
    docxPath,
  ], { encoding: 'utf8' })
  assert.ok(body.includes(PARAGRAPH), 'the paragraph is in the report')

  // Every member's record into the folder picked (the save folder, in the tests).
  await s.clickWhenReady(() => s.waitFor('[data-test=export-all-records]'))
  const first = join(saveDir, '15001-王建国-2024年度履职档案.docx')
  await waitForFile(first)
  // The files are written one after another: wait for all seventy, not just the first.
  const listed = () =>
    execFileSync('ls', [saveDir], { encoding: 'utf8' })
      .split('\n')
      .filter((n) => n.endsWith('年度履职档案.docx'))
  const until = Date.now() + 30000
  let records = listed()
  while (records.length < 70 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200))
    records = listed()
  }
  assert.equal(records.length, 70, records.join(' '))
})

test('saves one member’s annual record as a printable page', async () => {
  await s.clickWhenReady(() => s.waitForElementWithText('.el-tabs__item', '按委员'))
  await s.waitFor('[data-test=save-member-record]')
  await s.execute("document.querySelector('[data-test=save-member-record]').click()")
  const expected = (p) => p.endsWith('年度履职档案.html')
  const until = Date.now() + 15000
  let found
  while (!found) {
    found = execFileSync('ls', [saveDir], { encoding: 'utf8' }).split('\n').find(expected)
    if (!found && Date.now() > until) throw new Error('no annual record written')
    if (!found) await new Promise((r) => setTimeout(r, 150))
  }
  const html = readFileSync(join(saveDir, found), 'utf8')
  assert.ok(html.includes('<h1>委员年度履职档案</h1>'))
  assert.ok(html.includes('2024年'))
})

test('the office rewords the paragraph in the template editor, and the CLI says the same', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=view-stats]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=edit-template]'))
  const source = await s.waitFor('textarea[data-test=template-source]')
  await s.waitForText('[data-test=template-preview]', '委员工作室开展各类活动50多次')
  await s.screenshot(join(ARTIFACTS, 'template-editor.png'))
  // A typo is named with its line, and the template cannot be saved.
  await s.replaceText(source, '开展活动{{ 活动|phrase("次") }}。\n服务{{ 服务人數 }}人次。')
  await s.waitForText('[data-test=template-error]', '第2行')
  const disabled = await s.execute("return document.querySelector('[data-test=template-save]').disabled")
  assert.equal(disabled, true)
  // Typed for real, at the end of a corrected first line.
  await s.replaceText(source, '全市委员工作室共开展活动{{ 工作室活动|phrase("场") }}')
  await s.type(source, '，调研成果{{ 调研成果|exact("篇") }}。')
  const preview = '2024年全年，全市委员工作室共开展活动50多场，调研成果8篇。'
  await s.waitForText('[data-test=template-preview]', preview)
  await s.clickWhenReady(() => s.waitFor('[data-test=template-save]'))
  await s.waitForGone('[data-test=template-dialog]')
  const shown = await s.waitForText('[data-test=paragraph]', '全市委员工作室')
  assert.equal(shown[0], preview)
  const tally = JSON.parse(execFileSync(CLI, ['--db', demoDb, 'tally', '--year', '2024', '--json'], { encoding: 'utf8' }))
  assert.equal(tally.paragraph, preview)

  // Back to the default.
  await s.clickWhenReady(() => s.waitFor('[data-test=edit-template]'))
  await s.waitForText('[data-test=template-preview]', '全市委员工作室')
  await s.clickWhenReady(() => s.waitFor('[data-test=template-reset]'))
  await s.waitForText('[data-test=template-preview]', '委员工作室开展各类活动50多次')
  await s.clickWhenReady(() => s.waitFor('[data-test=template-save]'))
  await s.waitForGone('[data-test=template-dialog]')
  const back = await s.waitForText('[data-test=paragraph]', '另组织')
  assert.equal(back[0], PARAGRAPH)
})

test('the office accepts two waiting records at once, and the counts follow', async () => {
  await s.clickWhenReady(() => s.waitFor('[data-test=view-records]'))
  await s.clickWhenReady(() => s.waitFor('[data-test=filter-status]'))
  await s.chooseOption('filter-status', '待审核', '[data-test=record-count]')
  await s.waitForText('[data-test=record-count]', '共 9 条')
  await s.waitFor('[data-test=tick-row]')
  await s.execute("const t = document.querySelectorAll('[data-test=tick-row] input'); t[0].click(); t[1].click()")
  await s.waitForText('[data-test=batch-bar]', '已勾选 2 条')
  await s.clickWhenReady(() => s.waitFor('[data-test=batch-accept]'))
  await s.clickWhenReady(() => s.waitForElementWithText('.el-message-box__btns button', '通过'))
  await s.waitForText('[data-test=summary-waiting]', '待审核 7 条')
  await s.waitForText('[data-test=record-count]', '共 7 条')
  const listed = JSON.parse(execFileSync(CLI, ['--db', demoDb, 'activity', 'list', '--year', '2024', '--json'], { encoding: 'utf8' }))
  assert.equal(listed.filter((a) => a.status === 'submitted').length, 7)
})

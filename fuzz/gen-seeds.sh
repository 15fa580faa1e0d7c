#!/usr/bin/env bash
# Regenerates the seed corpus in fuzz/corpus/<target>/ (committed; keep it small).
#
# Uses the `lvzhi` CLI on a throwaway demo ledger for the real files (roster template,
# problem list, member and roster packages) and python3 (standard library only) for the rest.
# LVZHI=/path/to/lvzhi uses that binary; otherwise the CLI is built into fuzz/target/cli.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
corpus=$root/fuzz/corpus

if [ -z "${LVZHI:-}" ]; then
  cargo build -q -p lvzhi-cli --target-dir fuzz/target/cli
  LVZHI=$root/fuzz/target/cli/debug/lvzhi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/office.db
lvzhi() { "$LVZHI" --db "$db" "$@"; }

lvzhi demo >/dev/null
lvzhi roster template "$tmp/template.xlsx" >/dev/null
lvzhi member list --json >"$tmp/members.json"
lvzhi studio list --json >"$tmp/studios.json"
# The member of fuzz_targets/package_merge.rs (MEMBER).
lvzhi package export --member 15010 --year 2024 --out "$tmp/member.lvzhi" >/dev/null
lvzhi package export --member 15010 --year 2023 --out "$tmp/empty.lvzhi" >/dev/null
lvzhi roster-package export --out "$tmp/roster.lvzhi" >/dev/null
printf '委员编号,姓名,性别,界别\n15001,,男,不存在的界别\n15001,重复,女,教育\n' >"$tmp/bad.csv"
lvzhi roster import "$tmp/bad.csv" --dry-run --problems "$tmp/problems.xlsx" >/dev/null 2>&1 || true

rm -rf "$corpus"
mkdir -p "$corpus"/{sheet_xlsx,sheet_xlsx_xml,sheet_xls,sheet_csv,sheet_html,package_open,package_merge,roster_preview}

TMP=$tmp CORPUS=$corpus ROOT=$root python3 - <<'PY'
import io, json, os, zipfile

tmp, corpus, root = os.environ["TMP"], os.environ["CORPUS"], os.environ["ROOT"]

def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(corpus, target, name), "wb") as f:
        f.write(data)

def read(name):
    with open(os.path.join(tmp, name), "rb") as f:
        return f.read()

xls = open(os.path.join(root, "tests/fixtures/roster/roster.xls"), "rb").read()
template, problems = read("template.xlsx"), read("problems.xlsx")

# ---- a hand-made xlsx: shared and inline strings, a date, a merged title, a formula ------
SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:F5"/><sheetData>\
<row r="1"><c r="A1" t="s"><v>0</v></c></row>\
<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c><c r="C2" t="s"><v>3</v></c><c r="D2" t="s"><v>4</v></c><c r="E2" t="inlineStr"><is><t>出生年月</t></is></c><c r="F2" t="inlineStr"><is><t>联系电话</t></is></c></row>\
<row r="3"><c r="A3"><v>15001</v></c><c r="B3" t="str"><v>王强</v></c><c r="C3" t="s"><v>5</v></c><c r="D3" t="s"><v>6</v></c><c r="E3" s="1"><v>23972</v></c><c r="F3" t="inlineStr"><is><t>13900001111</t></is></c></row>\
<row r="4"><c r="A4"><v>15002.5</v></c><c r="B4" t="b"><v>1</v></c><c r="C4" t="e"><v>#N/A</v></c><c r="D4"><f>SUM(A3:A4)</f><v>30003.5</v></c><c r="E4" t="d"><v>1972-03-01T00:00:00</v></c></row>\
<row r="5"><c r="A5" t="inlineStr"><is><r><t>合</t></r><r><rPr><b/></rPr><t>计</t></r></is></c><c r="B5" t="inlineStr"><is><t xml:space="preserve"> 2人 </t></is></c></row>\
</sheetData><mergeCells count="2"><mergeCell ref="A1:F1"/><mergeCell ref="B5:C5"/></mergeCells></worksheet>"""
STRINGS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="7" uniqueCount="7">\
<si><t>XX市政协第十五届委员名单</t></si><si><t>委员编号</t></si><si><t>姓名</t></si><si><t>性别</t></si>\
<si><t>界别</t></si><si><t>男</t></si><si><r><t>医药</t></r><r><t>卫生</t></r></si></sst>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="委员名单" sheetId="1" r:id="rId1"/></sheets></workbook>"""
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""

def xlsx(sheet, strings=STRINGS, styles=STYLES, method=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", strings)
        z.writestr("xl/styles.xml", styles)
    return out.getvalue()

handmade = xlsx(SHEET)
put("sheet_xlsx", "template.xlsx", template)
put("sheet_xlsx", "problems.xlsx", problems)
put("sheet_xlsx", "handmade.xlsx", handmade)
put("sheet_xlsx", "handmade-stored.xlsx", xlsx(SHEET, method=zipfile.ZIP_STORED))

# ---- sheet_xlsx_xml: sheet, sharedStrings, styles, workbook XML joined by NUL -----------
def parts(*xs):
    return b"\0".join(x.encode() if isinstance(x, str) else x for x in xs)

put("sheet_xlsx_xml", "handmade", parts(SHEET, STRINGS, STYLES))
put("sheet_xlsx_xml", "handmade-workbook", parts(SHEET, STRINGS, STYLES, WORKBOOK))
put("sheet_xlsx_xml", "sheet-only", parts(SHEET.replace(' t="s"', ' t="inlineStr"')))
for name, data in (("template", template), ("problems", problems)):
    z = zipfile.ZipFile(io.BytesIO(data))
    names = z.namelist()
    get = lambda n: z.read(n) if n in names else b""
    put("sheet_xlsx_xml", name, parts(get("xl/worksheets/sheet1.xml"), get("xl/sharedStrings.xml"), get("xl/styles.xml")))
# Far-away cells and merges, the shapes that stress a dense grid (small, not astronomical).
put("sheet_xlsx_xml", "sparse", parts(
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="C3:Z40"/><sheetData>'
    '<row r="3"><c r="C3" t="inlineStr"><is><t>委员编号</t></is></c></row>'
    '<row r="40"><c r="Z40"><v>1e308</v></c></row></sheetData>'
    '<mergeCells><mergeCell ref="C3:E4"/><mergeCell ref="Y39:Z40"/></mergeCells></worksheet>'))

# ---- sheet_xls ---------------------------------------------------------------------------
put("sheet_xls", "roster.xls", xls)

# ---- sheet_csv ---------------------------------------------------------------------------
roster_csv = "委员编号,姓名,性别,界别,联系电话,出生年月\n15001,王强,男,医药卫生,13900001111,1965.10\n15002,李梅,女,教育,13900002222,1972.3\n"
put("sheet_csv", "utf8.csv", roster_csv)
put("sheet_csv", "utf8-bom.csv", "\ufeff" + roster_csv)
put("sheet_csv", "gbk.csv", roster_csv.encode("gbk"))
put("sheet_csv", "gb18030-crlf.csv", roster_csv.replace("\n", "\r\n").replace("王强", "王强𠀀").encode("gb18030"))
put("sheet_csv", "utf16le.csv", b"\xff\xfe" + roster_csv.replace(",", "\t").encode("utf-16-le"))
put("sheet_csv", "quoted.tsv", '"委员编号"\t"姓名"\t"备注"\n"15003"\t"张""伟"""\t"多行\n备注,含逗号"\n\t\t\n')

# ---- sheet_html --------------------------------------------------------------------------
table = ('<table border=1><tr><td colspan="3">XX市政协委员名单</td></tr>'
         '<tr><th>委员编号</th><th>姓名</th><th rowspan=2>界别</th></tr>'
         '<tr><td>15001</td><td>王&nbsp;强&#x4E00;&#19968;&amp;</td></tr>'
         '<tr><TD colspan=2 rowspan=\'2\'><b>合计</b></TD><td>2人</td></tr></table>')
put("sheet_html", "spans.html", "<html><head><meta charset=utf-8></head><body>" + table + "</body></html>")
put("sheet_html", "dotted-i.html", "<html><body><p>İstanbul İİ</p>" + table + "</body></html>")
put("sheet_html", "kelvin.html", "<p>温度 300 \u212a</p>\n" + table)
put("sheet_html", "excel-web.xls", ('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel"><body><TABLE x:str>'
    '<TR><TD>委员编号<TD>姓名<TD>性别<TR><TD>15002<TD>李梅<TD>女</TABLE>').encode("gbk"))

# ---- package_open ------------------------------------------------------------------------
put("package_open", "member.lvzhi", read("member.lvzhi"))
put("package_open", "empty.lvzhi", read("empty.lvzhi"))
put("package_open", "roster.lvzhi", read("roster.lvzhi"))

# ---- package_merge: JSON bodies, office ids as {{A<n>}} / {{S<n>}} (see the target) -----
def body(package):
    return package.split(b"\n", 3)[3]

records = json.loads(body(read("member.lvzhi")))
records.sort(key=lambda r: (r["date"], r["title"]))
ids = {r["id"]: "{{A%d}}" % i for i, r in enumerate(records)}
studios = {s["id"]: "{{S%d}}" % i for i, s in enumerate(json.load(open(os.path.join(tmp, "studios.json"))))}
def placeholders(r):
    r = dict(r)
    r["id"] = ids.get(r["id"], r["id"])
    if r.get("studio_id"):
        r["studio_id"] = studios.get(r["studio_id"], r["studio_id"])
    return r
mine = [placeholders(r) for r in records]
dump = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
put("package_merge", "member-2024.json", dump(mine))
put("package_merge", "empty.json", "[]")
# Updates (higher version), a same-version edit (a conflict), a tombstone, a new record.
changed = [dict(r) for r in mine[:3]]
changed[0]["version"] += 1
changed[0]["people_served"] = changed[0].get("people_served", 0) + 7
changed[1]["title"] += "（修改）"
changed[2]["version"] += 1
changed[2]["deleted"] = True
new = dict(mine[0], id="01923456-789a-7bcd-8ef0-123456789abc", version=1, title="新记录")
put("package_merge", "changes.json", dump(changed + [new]))
# The record the office corrected (CORRECTED in the target): older, equal and newer versions.
corrected = "01900000-0000-7000-8000-00000000c0de"
base = dict(mine[0], studio_id=None, studio_name=None)
put("package_merge", "corrected-old.json", dump([dict(base, id=corrected, version=1)]))
put("package_merge", "corrected.json", dump([
    dict(base, id="01900000-0000-7000-8000-00000000c0df", version=2, title="另一条"),
    dict(base, id=corrected, version=3, title="委员又改了"),
    dict(base, id=corrected, version=2, title="同一包里的旧版本"),
]))
# Records the merge must quarantine, not store (each with a valid UUID, so each reaches its
# own check).
uuid = lambda n: "01923456-789a-7bcd-8ef0-%012d" % n
put("package_merge", "rejects.json", dump([
    dict(base, id=uuid(1), author_code="15002"),
    dict(base, id=uuid(2), status="draft"),
    dict(base, id=uuid(3), studio_id="no-such-studio"),
    dict(base, id=uuid(4), participants=["99999"]),
    dict(base, id="", version=0),
    dict(base, id=uuid(6), date="2024-02-30"),
    {"id": uuid(7), "title": 42},
    dict(base, id=uuid(8), funds_fen=-1, people_served=9223372036854775807),
    dict(base, id=uuid(9), version=9223372036854775807, title="\u0000\u202e"),
]))

# ---- roster_preview ----------------------------------------------------------------------
members = json.load(open(os.path.join(tmp, "members.json")))
gender = {"male": "男", "female": "女", None: ""}
lines = ["委员编号,姓名,性别,界别,工作单位及职务,届次"]
for i, m in enumerate(members[:24]):
    name = m["name"] + ("改" if i % 7 == 3 else "")
    sector = "新界别" if i % 11 == 5 else (m.get("sector") or "")
    lines.append(",".join([m["code"], name, gender.get(m.get("gender"), ""), sector,
                           '"' + (m.get("unit_title") or "") + '"', m.get("term") or ""]))
lines.append("16001,新委员,女,教育,某某学校 校长,十五届")
put("roster_preview", "demo-members.csv", "\n".join(lines) + "\n")
put("roster_preview", "gbk.csv", ("序号,委员编号,姓名,性别,民族,出生年月,界别,联系电话,身份证号\n"
    "1,15001,王强,男,汉族,1965.10,医药卫生,13900001111,110101196510010011\n"
    "2,15099,赵六,女,回族,197203,教育,139-0000-2222,11010119720301002X\n").encode("gbk"))
put("roster_preview", "problems.csv", "委员编号,姓名,性别,界别\n15001,,男,不存在的界别\n15001,重复,女,教育\n,无编号,未知,\n合计,3人,,\n")
put("roster_preview", "template.xlsx", template)
put("roster_preview", "roster.xls", xls)
put("roster_preview", "roster.html", table)
PY

du -sh "$corpus"
for d in "$corpus"/*/; do printf '%-16s %2d files %6d bytes\n' "$(basename "$d")" "$(ls "$d" | wc -l)" "$(cat "$d"* | wc -c)"; done

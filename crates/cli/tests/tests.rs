//! The `lvzhi` binary run as a process, the way scripts use it: exit codes, stdout, stderr.

mod hostile;
mod meetings;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Ledger {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Ledger {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        Ledger { _dir: dir, path }
    }

    fn run(&self, args: &[&str]) -> Output {
        lvzhi(Some(&self.path), args)
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects exit code 1 with a Chinese error on stderr and no panic.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.starts_with("错误："), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

fn lvzhi(db: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lvzhi"));
    if let Some(db) = db {
        cmd.arg("--db").arg(db);
    }
    cmd.args(args).env_remove("LVZHI_DB");
    // Under Wine (`make test-windows`) starting a process now and then fails with
    // ERROR_INTERNAL_ERROR (1359) before the CLI runs at all; that is tried again, twice.
    // Whatever the CLI itself does is never retried.
    let mut attempt = 0;
    loop {
        match cmd.output() {
            Ok(out) => return out,
            Err(err) if cfg!(windows) && err.raw_os_error() == Some(1359) && attempt < 2 => {
                attempt += 1;
            }
            Err(err) => panic!("could not start lvzhi {args:?}: {err}"),
        }
    }
}

#[test]
fn demo_then_tally_reports_the_summary_figures() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let t = l.json(&["tally", "--year", "2024", "--json"]);
    assert_eq!(t["year"], 2024);
    assert_eq!(t["activities"]["exact"], 56);
    assert_eq!(t["activities"]["phrase"], "50多次");
    assert_eq!(t["people_served"]["exact"], 10482);
    assert_eq!(t["people_served"]["phrase"], "1万多人次");
    assert_eq!(t["funds_yuan"]["exact"], 905432.0);
    assert_eq!(t["funds_yuan"]["phrase"], "90多万元");
    assert_eq!(t["consultations"]["exact"], 6);
    assert_eq!(t["research_reports"]["exact"], 8);
    assert_eq!(t["proposals"]["exact"], 5);
    assert_eq!(t["items_received"]["exact"], 392);
    assert_eq!(t["items_resolved"]["exact"], 392);

    let yu = l.json(&["tally", "--year", "2024", "--json", "--yu"]);
    assert_eq!(yu["funds_yuan"]["phrase"], "90余万元");
    let text = l.ok(&["tally", "--year", "2024"]);
    assert!(text.contains("56次（50多次）"), "{text}");

    // A second demo load would double the year: it is refused.
    l.fails(&["demo"]);
}

#[test]
fn activity_add_list_edit_delete_restore() {
    let l = Ledger::new();
    l.ok(&[
        "member",
        "add",
        "--code",
        "15001",
        "--name",
        "王强",
        "--sector",
        "医药卫生",
        "--role",
        "常委",
    ]);
    l.ok(&[
        "member", "add", "--code", "15002", "--name", "李梅", "--gender", "女",
    ]);
    l.ok(&[
        "studio",
        "add",
        "--name",
        "医药卫生界别委员工作室",
        "--kind",
        "界别型",
        "--lead",
        "15001",
    ]);

    let id = l
        .ok(&[
            "activity",
            "add",
            "--date",
            "2024-05-12",
            "--category",
            "studio_activity",
            "--title",
            "义诊进社区",
            "--studio",
            "医药卫生界别委员工作室",
            "--member",
            "15001",
            "--member",
            "15002",
            "--served",
            "230",
            "--service",
            "义诊=180",
            "--service",
            "健康咨询=50",
            "--received",
            "4",
            "--resolved",
            "3",
            "--funds-yuan",
            "1200.50",
            "--location",
            "西城街道",
            "--notes",
            "带药品",
        ])
        .trim()
        .to_string();
    assert_eq!(id.len(), 36, "{id}");

    let list = l.json(&["activity", "list", "--year", "2024", "--json"]);
    let a = &list.as_array().unwrap()[0];
    assert_eq!(a["id"], id.as_str());
    assert_eq!(a["title"], "义诊进社区");
    assert_eq!(a["category"], "studio_activity");
    assert_eq!(a["studio_name"], "医药卫生界别委员工作室");
    assert_eq!(a["participants"], serde_json::json!(["15001", "15002"]));
    assert_eq!(a["people_served"], 230);
    assert_eq!(a["services"][0]["service"], "义诊");
    assert_eq!(a["funds_fen"], 120050);
    assert_eq!(
        (a["items_received"].clone(), a["items_resolved"].clone()),
        (4.into(), 3.into())
    );
    assert_eq!(a["version"], 1);

    l.ok(&[
        "activity",
        "edit",
        &id[..13],
        "--served",
        "260",
        "--title",
        "义诊进社区（二）",
    ]);
    let a = &l.json(&["activity", "list", "--json"])[0];
    assert_eq!(
        (a["people_served"].clone(), a["version"].clone()),
        (260.into(), 2.into())
    );
    assert_eq!(a["title"], "义诊进社区（二）");
    assert_eq!(a["location"], "西城街道", "fields not given stay");

    l.ok(&["activity", "delete", &id]);
    assert_eq!(
        l.json(&["activity", "list", "--json"]),
        serde_json::json!([])
    );
    assert_eq!(
        l.json(&["activity", "list", "--all", "--json"])[0]["deleted"],
        true
    );
    l.ok(&["activity", "restore", &id]);
    assert_eq!(
        l.json(&["tally", "--year", "2024", "--json"])["people_served"]["exact"],
        260
    );
}

#[test]
fn bad_input_is_a_clear_error_and_writes_nothing() {
    let l = Ledger::new();
    l.ok(&["init"]);
    let base = [
        ("--date", "2024-05-12"),
        ("--category", "other"),
        ("--title", "座谈"),
    ];
    let cases: &[(&[&str], &str)] = &[
        (&["--category", "party"], "无法识别"),
        (&["--date", "2024-13-01"], "YYYY-MM-DD"),
        (&["--served", "-3"], "不能为负数"),
        (&["--received", "2", "--resolved", "5"], "不能多于"),
        (&["--title", "   "], "标题"),
        (&["--member", "99999"], "99999"),
        (&["--studio", "不存在的工作室"], "不存在的工作室"),
        (&["--service", "义诊"], "名称=次数"),
        (&["--funds-yuan", "12.345"], "金额"),
    ];
    for (extra, expected) in cases {
        // The base flags, minus those the case gives itself, then the case's own.
        let mut args: Vec<&str> = vec!["activity", "add"];
        for &(flag, value) in &base {
            if !extra.contains(&flag) {
                args.extend([flag, value]);
            }
        }
        args.extend_from_slice(extra);
        let stderr = l.fails(&args);
        assert!(stderr.contains(expected), "{extra:?}: {stderr}");
    }
    assert_eq!(
        l.json(&["activity", "list", "--all", "--json"]),
        serde_json::json!([])
    );
    let stderr = l.fails(&["activity", "delete", "0123456789"]);
    assert!(stderr.contains("未找到"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let l = Ledger::new();
    let out = l.run(&["activity", "add", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Adds one record of 2024 through the CLI.
fn add_record_2024(l: &Ledger, title: &str) {
    l.ok(&[
        "activity",
        "add",
        "--date",
        "2024-06-01",
        "--category",
        "other",
        "--title",
        title,
    ]);
}

fn records(l: &Ledger) -> usize {
    l.json(&["activity", "list", "--json"])
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn backup_list_and_restore_bring_back_an_earlier_ledger() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let said = l.ok(&["backup"]);
    assert!(said.contains("已备份到："), "{said}");
    let listed = l.json(&["backup", "list", "--json"]);
    let manual = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["reason"] == "manual")
        .unwrap()
        .clone();
    let file = manual["path"].as_str().unwrap().to_string();
    assert!(
        Path::new(&file).starts_with(l.path.parent().unwrap().join("backups")),
        "{file}"
    );
    assert_eq!(manual["preview"]["records"], 105);
    assert_eq!(manual["preview"]["members"], 70);
    assert_eq!(manual["preview"]["years"][0]["year"], 2024);
    let text = l.ok(&["backup", "list"]);
    assert!(text.contains("手动备份"), "{text}");
    assert!(
        text.contains("委员 70 人；记录 105 条（2024年 105 条）"),
        "{text}"
    );

    add_record_2024(&l, "备份之后登记的活动");
    assert_eq!(records(&l), 106);

    // Without --yes: the preview, an error saying what to add, and nothing replaced.
    let out = l.run(&["restore", &file]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.contains("记录 105 条"), "{stdout}");
    assert!(
        stderr.starts_with("错误：") && stderr.contains("--yes"),
        "{stderr}"
    );
    assert_eq!(records(&l), 106, "nothing replaced without --yes");

    let said = l.ok(&["restore", &file, "--yes"]);
    assert!(said.contains("已恢复"), "{said}");
    assert!(said.contains("恢复前的台账已备份到："), "{said}");
    assert_eq!(records(&l), 105);
    let listed = l.json(&["backup", "list", "--json"]);
    let saved = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["reason"] == "restore")
        .unwrap();
    assert_eq!(
        saved["preview"]["records"], 106,
        "the replaced ledger is kept"
    );
}

#[test]
fn a_backup_to_a_file_of_ones_own_is_never_overwritten_or_pruned() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let own = tempfile::tempdir().unwrap();
    let target = own.path().join("我的备份.db");
    let target = target.to_str().unwrap();
    l.ok(&["backup", "--out", target]);
    let before = std::fs::read(target).unwrap();
    let err = l.fails(&["backup", "--out", target]);
    assert!(err.contains("已存在"), "{err}");
    assert_eq!(std::fs::read(target).unwrap(), before);

    let said = l.ok(&["settings", "set", "backup-keep", "2"]);
    assert!(said.contains("最近 2 份"), "{said}");
    assert!(l
        .ok(&["settings", "show"])
        .contains("自动备份保留：最近 2 份"));
    l.fails(&["settings", "set", "backup-keep", "0"]);
    for _ in 0..4 {
        l.ok(&["backup"]);
    }
    let listed = l.json(&["backup", "list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    assert!(
        Path::new(target).exists(),
        "a backup elsewhere is never pruned"
    );
    // And it restores like any other.
    add_record_2024(&l, "之后的活动");
    l.ok(&["restore", target, "--yes"]);
    assert_eq!(records(&l), 105);
}

#[test]
fn a_corrupt_ledger_is_restored_from_the_list_beside_it() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    l.ok(&["backup"]);
    std::fs::write(&l.path, b"SQLite format 3\0".repeat(256)).unwrap();
    let err = l.fails(&["tally", "--year", "2024"]);
    assert!(err.contains("已损坏"), "{err}");
    let listed = l.json(&["backup", "list", "--json"]);
    let file = listed[0]["path"].as_str().unwrap().to_string();
    l.ok(&["restore", &file, "--yes"]);
    let t = l.json(&["tally", "--year", "2024", "--json"]);
    assert_eq!(t["activities"]["exact"], 56);
}

#[test]
fn a_corrupt_foreign_or_newer_backup_is_refused_and_nothing_is_replaced() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, b"not a ledger at all".repeat(100)).unwrap();
    let newer = dir.path().join("newer.db");
    l.ok(&["backup", "--out", newer.to_str().unwrap()]);
    bump_schema_version(&newer);
    let missing = dir.path().join("missing.db");
    let before = std::fs::read(&l.path).unwrap();
    for (file, says) in [
        (&garbage, "无法读取备份文件"),
        (&newer, "更新版本"),
        (&missing, "未找到备份文件"),
    ] {
        let err = l.fails(&["restore", file.to_str().unwrap(), "--yes"]);
        assert!(err.contains(says), "{file:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(
        std::fs::read(&l.path).unwrap(),
        before,
        "the ledger is untouched"
    );
    assert_eq!(records(&l), 105);
}

#[test]
fn a_newer_database_is_refused_and_not_a_database_is_reported() {
    let l = Ledger::new();
    l.ok(&["init"]);
    bump_schema_version(&l.path);
    let stderr = l.fails(&["activity", "list"]);
    assert!(stderr.contains("更新版本"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![0x42u8; 8192]).unwrap();
    let out = lvzhi(Some(&junk), &["activity", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    assert_eq!(
        std::fs::read(&junk).unwrap(),
        vec![0x42u8; 8192],
        "left untouched"
    );
}

/// Sets the file's schema version past what this binary knows, through the sqlite3 file
/// header (offset 60, big-endian), which is where SQLite keeps `user_version`.
fn bump_schema_version(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn the_database_path_comes_from_lvzhi_db_when_not_given() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("from-env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .arg("init")
        .env("LVZHI_DB", &path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(path.exists());
}

#[test]
fn tally_by_breakdowns_and_periods() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let studios = l.json(&["tally", "--year", "2024", "--by", "studio", "--json"]);
    let rows = studios.as_array().unwrap();
    assert_eq!(rows.len(), 9, "eight studios and the records without one");
    let studio_events: i64 = rows
        .iter()
        .filter(|r| r["key"] != "")
        .map(|r| r["activities"].as_i64().unwrap())
        .sum();
    assert_eq!(studio_events, 52);
    assert_eq!(
        rows.iter()
            .map(|r| r["records"].as_i64().unwrap())
            .sum::<i64>(),
        105
    );

    let months = l.json(&["tally", "--year", "2024", "--by", "month", "--json"]);
    assert_eq!(months.as_array().unwrap().len(), 12);
    assert_eq!(months[0]["label"], "1月");

    let half = l.json(&[
        "tally",
        "--from",
        "2024-01-01",
        "--to",
        "2024-06-30",
        "--json",
    ]);
    assert_eq!(half["period_label"], "2024年1月1日至2024年6月30日");
    assert!(half["activities"]["exact"].as_i64().unwrap() < 56);

    let reviewed = l.json(&["tally", "--year", "2024", "--reviewed-only", "--json"]);
    assert_eq!(reviewed["basis"], "仅统计已审核记录");
    assert!(reviewed["records"].as_i64().unwrap() < 105);

    let text = l.ok(&["tally", "--year", "2024"]);
    assert!(
        text.contains("2024年全年，委员工作室开展各类活动50多次，服务群众1万多人次；"),
        "{text}"
    );

    let stderr = l.fails(&["tally", "--year", "2024", "--by", "weather"]);
    assert!(stderr.contains("无法识别的分组"), "{stderr}");
    let out = l.run(&[
        "tally",
        "--year",
        "2024",
        "--from",
        "2024-01-01",
        "--to",
        "2024-02-01",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--year conflicts with --from/--to"
    );
}

#[test]
fn export_writes_xlsx_and_csv_and_refuses_other_names() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("年度.xlsx");
    let csv = dir.path().join("年度.csv");
    let said = l.ok(&["export", "--year", "2024", "--out", xlsx.to_str().unwrap()]);
    assert!(said.contains("105"), "{said}");
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    l.ok(&["export", "--year", "2024", "--out", csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.trim_end().split("\r\n").count(), 106);

    let stderr = l.fails(&[
        "export",
        "--year",
        "2024",
        "--out",
        dir.path().join("年度.xls").to_str().unwrap(),
    ]);
    assert!(stderr.contains(".xlsx"), "{stderr}");
    let missing = dir.path().join("no-such-folder/年度.csv");
    l.fails(&[
        "export",
        "--year",
        "2024",
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert!(!missing.exists());
}

#[test]
fn member_record_writes_a_printable_page() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("档案.html");
    l.ok(&[
        "member-record",
        "--year",
        "2024",
        "--member",
        "15001",
        "--out",
        page.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("委员年度履职档案") && html.contains("15001"));
    let record = l.json(&[
        "member-record",
        "--year",
        "2024",
        "--member",
        "15001",
        "--json",
    ]);
    assert_eq!(record["member"]["code"], "15001");
    let n = record["activities"].as_array().unwrap().len() as i64;
    assert!(n > 0);
    assert!(
        !html.contains(record["member"]["phone"].as_str().unwrap()),
        "no phone on the page"
    );
    let stderr = l.fails(&[
        "member-record",
        "--year",
        "2024",
        "--member",
        "nobody",
        "--json",
    ]);
    assert!(stderr.contains("未找到委员"), "{stderr}");
}

#[test]
fn roster_template_then_import_dry_run_and_apply() {
    let l = Ledger::new();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("模板.xlsx");
    l.ok(&["roster", "template", template.to_str().unwrap()]);
    assert_eq!(&std::fs::read(&template).unwrap()[..2], b"PK");

    let roster = dir.path().join("名单.csv");
    std::fs::write(&roster, "\u{feff}委员编号,姓名,性别,界别,联系电话\n15001,王强,男,医药卫生,13900001111\n15002,李梅,女,教育,13900002222\n").unwrap();
    let preview = l.json(&[
        "roster",
        "import",
        roster.to_str().unwrap(),
        "--dry-run",
        "--json",
    ]);
    assert_eq!(
        (preview["rows_read"].clone(), preview["new"].clone()),
        (2.into(), 2.into())
    );
    assert_eq!(
        l.json(&["member", "list", "--json"]),
        serde_json::json!([]),
        "a dry run writes nothing"
    );

    let said = l.ok(&["roster", "import", roster.to_str().unwrap()]);
    assert!(said.contains("新增 2 人"), "{said}");
    assert_eq!(
        l.json(&["member", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let backups = l.json(&["backup", "list", "--json"]);
    let imports: Vec<_> = backups
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["reason"] == "roster_import")
        .collect();
    assert_eq!(imports.len(), 1, "a backup beside the ledger: {backups}");
    assert_eq!(
        imports[0]["preview"]["members"], 0,
        "taken before the import"
    );

    let bad = dir.path().join("坏名单.csv");
    std::fs::write(&bad, "委员编号,姓名\n15003,\n").unwrap();
    let list = dir.path().join("问题清单.xlsx");
    let out = l.run(&[
        "roster",
        "import",
        bad.to_str().unwrap(),
        "--problems",
        list.to_str().unwrap(),
    ]);
    assert_eq!(
        &std::fs::read(&list).unwrap()[..2],
        b"PK",
        "the problem list is written even when the import is refused"
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("第 2 行 B 列（姓名）：姓名为空"),
        "{stdout}"
    );
    assert_eq!(
        l.json(&["member", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

/// A three-row file against a roster of twelve: 全量 asks for the count, 增补 adds without
/// deactivating anyone, and the count confirmed is the count done.
#[test]
fn a_short_roster_file_asks_before_deactivating_and_append_mode_does_not() {
    let l = Ledger::new();
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("全体.csv");
    let mut text = String::from("委员编号,姓名\n");
    for i in 1..=12 {
        text.push_str(&format!("{},委员{i}\n", 18000 + i));
    }
    std::fs::write(&all, &text).unwrap();
    l.ok(&[
        "roster",
        "import",
        all.to_str().unwrap(),
        "--confirm-deactivate",
        "0",
    ]);
    let three = dir.path().join("三人.csv");
    std::fs::write(
        &three,
        "委员编号,姓名\n18001,委员1\n18002,委员2\n18013,新委员\n",
    )
    .unwrap();
    let active = || {
        l.json(&["member", "list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["active"] == true)
            .count()
    };
    let out = l.run(&["roster", "import", three.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("将标为停用（10 人）"), "{stdout}");
    assert!(stdout.contains("--confirm-deactivate 10"), "{stdout}");
    assert_eq!(active(), 12, "nothing changed");
    l.fails(&[
        "roster",
        "import",
        three.to_str().unwrap(),
        "--confirm-deactivate",
        "9",
    ]);
    assert_eq!(active(), 12);
    let said = l.ok(&["roster", "import", three.to_str().unwrap(), "--append"]);
    assert!(
        said.contains("新增 1 人") && said.contains("停用 0 人"),
        "{said}"
    );
    assert_eq!(active(), 13);
    let usage = l.run(&[
        "roster",
        "import",
        three.to_str().unwrap(),
        "--append",
        "--confirm-deactivate",
        "3",
    ]);
    assert_eq!(usage.status.code(), Some(2));
    let said = l.ok(&[
        "roster",
        "import",
        three.to_str().unwrap(),
        "--confirm-deactivate",
        "10",
    ]);
    assert!(said.contains("停用 10 人"), "{said}");
    assert_eq!(active(), 3);
}

#[test]
fn a_members_package_is_merged_by_the_office_once_and_tampering_is_refused() {
    let laptop = Ledger::new();
    let office = Ledger::new();
    for l in [&laptop, &office] {
        l.ok(&["member", "add", "--code", "15001", "--name", "王强"]);
    }
    laptop.ok(&[
        "activity",
        "add",
        "--date",
        "2024-05-12",
        "--category",
        "inspection",
        "--title",
        "调研乡村学校",
        "--member",
        "15001",
        "--author",
        "15001",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("王强-2024.lvzhi");
    let file_arg = file.to_str().unwrap();
    let said = laptop.ok(&[
        "package", "export", "--member", "15001", "--year", "2024", "--out", file_arg,
    ]);
    assert!(said.contains("1 条记录"), "{said}");
    let fingerprint = laptop.ok(&["package", "fingerprint"]);

    let preview = office.json(&["package", "import", file_arg, "--dry-run", "--json"]);
    assert_eq!(preview["new"], 1);
    assert_eq!(preview["key"], "new");
    assert_eq!(preview["fingerprint"].as_str().unwrap(), fingerprint.trim());
    assert_eq!(
        office
            .json(&["activity", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let merged = office.ok(&["package", "import", file_arg]);
    assert!(merged.contains("新增 1"), "{merged}");
    let again = office.ok(&["package", "import", file_arg]);
    assert!(again.contains("已导入过"), "{again}");
    assert_eq!(
        office
            .json(&["activity", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let mut bytes = std::fs::read(&file).unwrap();
    let n = bytes.len();
    bytes[n - 3] ^= 1;
    let bad = dir.path().join("bad.lvzhi");
    std::fs::write(&bad, &bytes).unwrap();
    let err = office.fails(&["package", "import", bad.to_str().unwrap()]);
    assert!(err.contains("被改动"), "{err}");
    std::fs::write(&bad, &bytes[..n / 2]).unwrap();
    office.fails(&["package", "import", bad.to_str().unwrap()]);
    assert_eq!(
        office
            .json(&["activity", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_roster_package_goes_to_a_laptop_and_another_office_key_is_refused() {
    let office = Ledger::new();
    office.ok(&["member", "add", "--code", "15001", "--name", "王强"]);
    office.ok(&[
        "studio",
        "add",
        "--name",
        "法律服务委员工作室",
        "--kind",
        "特色型",
        "--lead",
        "15001",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("名单包.lvzhi");
    office.ok(&["roster-package", "export", "--out", file.to_str().unwrap()]);

    let laptop = Ledger::new();
    let done = laptop.json(&["roster-package", "import", file.to_str().unwrap(), "--json"]);
    assert_eq!(
        (done["members"].as_u64(), done["studios"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(done["key_recorded"], true);
    assert!(laptop
        .ok(&["studio", "list"])
        .contains("法律服务委员工作室"));

    let other = Ledger::new();
    other.ok(&["member", "add", "--code", "15009", "--name", "冒名"]);
    let forged = dir.path().join("forged.lvzhi");
    other.ok(&[
        "roster-package",
        "export",
        "--out",
        forged.to_str().unwrap(),
    ]);
    let err = laptop.fails(&["roster-package", "import", forged.to_str().unwrap()]);
    assert!(err.contains("办公室密钥"), "{err}");
    assert!(!laptop.ok(&["member", "list"]).contains("冒名"));
}

/// A merge killed with SIGKILL at any moment leaves the office ledger as it was: whole
/// (`integrity_check` ok), without any of the package's records, and without a log entry.
#[cfg(unix)]
#[test]
fn a_merge_killed_midway_leaves_the_ledger_as_it_was() {
    use lvzhi_core::model::{Activity, ActivityInput, Category, DeviceRole, Member};
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    let now = chrono::Utc::now();
    let member = Member::new("15001", "王强");
    // A laptop with 30,000 records, written straight through the core in one transaction.
    let laptop = lvzhi_core::Ledger::open(
        &dir.path().join("laptop.db"),
        chrono::Local::now().fixed_offset(),
    )
    .unwrap();
    laptop.add_member(&member, now).unwrap();
    laptop
        .set_device_setup(
            DeviceRole::Member,
            Some(("15001".into(), "王强".into())),
            None,
            now,
        )
        .unwrap();
    lvzhi_core::db::atomically(laptop.connection(), |tx| {
        for i in 0..30_000 {
            let mut input = ActivityInput::new(
                chrono::NaiveDate::from_ymd_opt(2024, 1 + i % 12, 1 + i % 28).unwrap(),
                Category::Inspection,
                format!("调研{i}"),
            );
            input.author_code = Some("15001".into());
            input.participants = vec!["15001".into()];
            let a = Activity {
                id: format!("0190a000-0000-7000-8000-{i:012}"),
                device_id: "laptop".into(),
                version: 1,
                created_at: now,
                updated_at: now,
                deleted: false,
                review_comment: None,
                studio_name: None,
                input,
            };
            lvzhi_core::db::activities::put(tx, &a)?;
        }
        Ok(())
    })
    .unwrap();
    let (bytes, _) = laptop.export_member_package("15001", None, now).unwrap();
    let package = dir.path().join("big.lvzhi");
    std::fs::write(&package, bytes).unwrap();

    let office = dir.path().join("office.db");
    let base = lvzhi_core::Ledger::open(&office, chrono::Local::now().fixed_offset()).unwrap();
    base.add_member(&member, now).unwrap();
    drop(base);
    let pristine = std::fs::read(&office).unwrap();

    let mut killed_midway = 0;
    for delay in [150u64, 400, 800, 1500, 2500] {
        std::fs::write(&office, &pristine).unwrap();
        let _ = std::fs::remove_file(office.with_extension("db-wal"));
        let _ = std::fs::remove_file(office.with_extension("db-shm"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
            .args([
                "--db",
                office.to_str().unwrap(),
                "package",
                "import",
                package.to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap_or(()); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let conn = rusqlite::Connection::open(&office).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "after {delay} ms");
        let records: i64 = conn
            .query_row("SELECT count(*) FROM activities", [], |r| r.get(0))
            .unwrap();
        let logged: i64 = conn
            .query_row("SELECT count(*) FROM package_imports", [], |r| r.get(0))
            .unwrap();
        if finished && status.success() {
            assert_eq!((records, logged), (30_000, 1), "after {delay} ms");
        } else {
            killed_midway += 1;
            assert_eq!(
                (records, logged),
                (0, 0),
                "killed after {delay} ms: all or nothing"
            );
        }
    }
    assert!(
        killed_midway > 0,
        "no run was killed during the merge; make the package larger"
    );
}

/// A ledger from a newer version in the rollback-journal mode: opening it must not switch it
/// to WAL, nor write anything else, before refusing it.
#[test]
fn a_newer_database_is_refused_before_a_single_byte_is_written() {
    let l = Ledger::new();
    {
        let conn = rusqlite::Connection::open(&l.path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = DELETE; CREATE TABLE t (x); PRAGMA user_version = 999;",
        )
        .unwrap();
    }
    let before = std::fs::read(&l.path).unwrap();
    let stderr = l.fails(&["tally", "--year", "2024"]);
    assert!(stderr.contains("更新版本"), "{stderr}");
    assert_eq!(
        std::fs::read(&l.path).unwrap(),
        before,
        "not one byte changed"
    );
    let wal = l.path.with_extension("db-wal");
    assert!(!wal.exists(), "no WAL file made");
}

/// A ledger on read-only media (here a read-only bind mount in a private user and mount
/// namespace) opens for listing, tallying and export; every change is refused, clearly.
/// Linux only (`unshare`); on Windows see `windows_a_read_only_ledger_file_…`.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_ledger_lists_tallies_and_exports_and_refuses_changes() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let dir = l.path.parent().unwrap().to_path_buf();
    let out_dir = tempfile::tempdir().unwrap();
    let script = r#"
        mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 77
        L="$2"; DB="$1/ledger.db"
        "$L" --db "$DB" tally --year 2024 --json > "$3/tally.json" || exit 10
        "$L" --db "$DB" export --year 2024 --out "$3/2024.xlsx" || exit 11
        "$L" --db "$DB" member add --code 99001 --name 试用 2> "$3/add.err"; echo $? > "$3/add.rc"
    "#;
    let status = Command::new("unshare")
        .args([
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            script,
            "sh",
        ])
        .arg(&dir)
        .arg(env!("CARGO_BIN_EXE_lvzhi"))
        .arg(out_dir.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0), "unshare and the read-only commands");
    let tally: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.path().join("tally.json")).unwrap())
            .unwrap();
    assert_eq!(tally["activities"]["exact"], 56);
    assert!(out_dir.path().join("2024.xlsx").exists());
    let rc = std::fs::read_to_string(out_dir.path().join("add.rc")).unwrap();
    assert_eq!(rc.trim(), "1");
    let err = std::fs::read_to_string(out_dir.path().join("add.err")).unwrap();
    assert!(err.contains("只读"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A reader that goes away (`lvzhi … | head`) ends the program quietly, never in a panic.
#[test]
fn a_closed_pipe_is_not_a_crash() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .arg("--db")
        .arg(&l.path)
        .args(["activity", "list", "--year", "2024", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader is gone before a byte is read
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn numbers_beyond_the_limits_are_refused_by_the_cli() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let base = [
        "activity",
        "add",
        "--date",
        "2024-05-12",
        "--category",
        "studio_activity",
        "--title",
        "义诊",
    ];
    for extra in [
        &["--served", "9223372036854775807"][..],
        &["--served", "10000001"],
        &["--funds-yuan", "92233720368547758.07"],
        &["--service", "义诊=9223372036854775807"],
    ] {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let stderr = l.fails(&args);
        assert!(
            stderr.contains("不能超过") || stderr.contains("无效"),
            "{extra:?}: {stderr}"
        );
    }
    let far = [
        "activity",
        "add",
        "--date",
        "2101-01-01",
        "--category",
        "other",
        "--title",
        "x",
    ];
    assert!(l.fails(&far).contains("2100-12-31"));
    let t = l.json(&["tally", "--year", "2024", "--json"]);
    assert_eq!(t["people_served"]["exact"], 10482, "nothing was stored");
}

/// Every kind of file the CLI writes for people (an export, a printable page, the template,
/// a problem list, a member's package, the roster package) follows the umask, as any
/// program's files do; the ledger itself is its owner's alone.
#[cfg(unix)]
#[test]
fn files_for_colleagues_follow_the_umask_and_the_ledger_stays_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let l = Ledger::new();
    l.ok(&["demo"]);
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, b"").unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "委员编号,姓名\n15001,\n").unwrap();
    let commands: [Vec<String>; 7] = [
        vec![
            "export".into(),
            "--year".into(),
            "2024".into(),
            "--out".into(),
            out("a.xlsx"),
        ],
        vec![
            "export".into(),
            "--year".into(),
            "2024".into(),
            "--out".into(),
            out("a.csv"),
        ],
        vec![
            "member-record".into(),
            "--year".into(),
            "2024".into(),
            "--member".into(),
            "15001".into(),
            "--out".into(),
            out("p.html"),
        ],
        vec!["roster".into(), "template".into(), out("t.xlsx")],
        vec![
            "roster".into(),
            "import".into(),
            bad.to_str().unwrap().into(),
            "--dry-run".into(),
            "--problems".into(),
            out("problems.xlsx"),
        ],
        vec![
            "package".into(),
            "export".into(),
            "--member".into(),
            "15001".into(),
            "--out".into(),
            out("m.lvzhi"),
        ],
        vec![
            "roster-package".into(),
            "export".into(),
            "--out".into(),
            out("r.lvzhi"),
        ],
    ];
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // The problem list is written even when the dry run reports problems.
        let run = l.run(&args);
        let written = Path::new(args.last().unwrap());
        assert!(
            written.exists(),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(mode(written), mode(&probe), "{args:?}");
    }
    assert_eq!(mode(&l.path), 0o600, "the ledger");
}

/// The office names its committee once (the exports title their sheets with it); an empty name forgets
/// it, and a name with control characters is refused.
#[test]
fn the_committee_is_named_once_and_an_empty_name_forgets_it() {
    let l = Ledger::new();
    l.ok(&["init"]);
    assert!(l.ok(&["settings", "show"]).contains("委员会名称：未设置"));
    assert!(l
        .ok(&["settings", "set", "committee", "东阳市政协"])
        .contains("东阳市政协"));
    assert_eq!(
        l.json(&["settings", "show", "--json"]),
        Value::Null,
        "no role yet"
    );
    assert!(l
        .ok(&["settings", "show"])
        .contains("委员会名称：东阳市政协"));
    l.fails(&["settings", "set", "committee", "政协\u{7}"]);
    l.ok(&["settings", "set", "committee", ""]);
    assert!(l.ok(&["settings", "show"]).contains("委员会名称：未设置"));
    assert_eq!(
        l.run(&["settings", "set", "colour", "red"]).status.code(),
        Some(2)
    );
}

/// `device set` records the first launch's answer as the window's dialog does, and `device
/// show` says it back, as text and as JSON: a member's laptop with its owner from the roster,
/// then the office's, the committee's name kept across both.
#[test]
fn device_set_and_show_say_whose_laptop_this_is_as_text_and_json() {
    let l = Ledger::new();
    l.ok(&["member", "add", "--code", "15001", "--name", "王强"]);
    let unset = l.ok(&["device", "show"]);
    assert!(unset.contains("本机：未设置"), "{unset}");
    assert!(unset.contains("委员会名称：未设置"), "{unset}");
    let json = l.json(&["device", "show", "--json"]);
    assert_eq!(
        (&json["role"], &json["owner"], &json["committee"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );

    let said = l.ok(&[
        "device",
        "set",
        "--member",
        "15001",
        "--committee",
        "永康市政协",
    ]);
    assert!(
        said.contains("本机：委员的电脑（王强，委员编号 15001）"),
        "{said}"
    );
    assert!(said.contains("委员会名称：永康市政协"), "{said}");
    assert_eq!(l.ok(&["device", "show"]), said);
    let json = l.json(&["device", "show", "--json"]);
    assert_eq!(json["role"], "member");
    assert_eq!(json["owner"]["code"], "15001");
    assert_eq!(json["owner"]["name"], "王强");
    assert_eq!(json["committee"], "永康市政协");
    // The window's reading of the same ledger.
    let settings = l.json(&["settings", "show", "--json"]);
    assert_eq!(settings["role"], "member");
    assert_eq!(settings["owner"]["code"], "15001");

    let office = l.ok(&["device", "set", "--office"]);
    assert!(office.contains("本机：政协办公室"), "{office}");
    assert!(office.contains("委员会名称：永康市政协"), "{office}");
    let json = l.json(&["device", "show", "--json"]);
    assert_eq!(json["role"], "office");
    assert_eq!(json["owner"], Value::Null);
    assert_eq!(json["committee"], "永康市政协");
}

/// A member's laptop is set by a code on the roster: another is refused with a Chinese error
/// (exit 1) and nothing changes; `--member` and `--office` are one or the other (exit 2).
#[test]
fn device_set_refuses_an_unknown_code_and_takes_exactly_one_of_member_or_office() {
    let l = Ledger::new();
    l.ok(&["member", "add", "--code", "15001", "--name", "王强"]);
    let err = l.fails(&["device", "set", "--member", "15099"]);
    assert!(err.contains("名单中没有委员编号 15099"), "{err}");
    assert!(l.ok(&["device", "show"]).contains("本机：未设置"));
    assert_eq!(
        l.json(&["member", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1,
        "nobody is added from a code alone"
    );
    l.fails(&["device", "set", "--member", " "]);

    for args in [
        &["device", "set", "--member", "15001", "--office"][..],
        &["device", "set"][..],
        &["device", "set", "--committee", "永康市政协"][..],
    ] {
        let out = l.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    assert!(l.ok(&["device", "show"]).contains("本机：未设置"));
}

/// Adds a record and returns (its id, what the command said on stderr).
fn add_record(l: &Ledger, title: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec![
        "activity",
        "add",
        "--date",
        "2024-05-12",
        "--category",
        "inspection",
        "--title",
        title,
    ];
    args.extend_from_slice(extra);
    let out = l.run(&args);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{args:?}: {stderr}");
    (
        String::from_utf8(out.stdout).unwrap().trim().to_string(),
        stderr,
    )
}

/// The author of each record in the list, by title.
fn authors(l: &Ledger) -> Vec<(String, Value)> {
    let mut list: Vec<(String, Value)> = l
        .json(&["activity", "list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap().to_string(),
                a["author_code"].clone(),
            )
        })
        .collect();
    list.sort_by(|a, b| a.0.cmp(&b.0));
    list
}

/// On a member's own laptop a record added without `--author` is the owner's, as in the
/// window's form, and goes into the owner's package; on the office's it stays without one.
/// The command says whose record it is.
#[test]
fn a_record_without_author_is_the_owners_on_a_members_laptop_and_nobodys_at_the_office() {
    let laptop = Ledger::new();
    let office = Ledger::new();
    for l in [&laptop, &office] {
        l.ok(&["member", "add", "--code", "15001", "--name", "王强"]);
        l.ok(&["member", "add", "--code", "15002", "--name", "李梅"]);
    }
    laptop.ok(&["device", "set", "--member", "15001"]);
    office.ok(&["device", "set", "--office"]);

    let (id, said) = add_record(&laptop, "甲 调研乡村学校", &[]);
    assert_eq!(id.len(), 36, "stdout is the id alone: {id}");
    assert!(said.contains("填报委员：王强（15001，本机委员）"), "{said}");
    let (_, said) = add_record(&laptop, "乙 别人的记录", &["--author", "15002"]);
    assert!(said.contains("填报委员：李梅（15002）"), "{said}");
    assert_eq!(
        authors(&laptop),
        [
            ("乙 别人的记录".to_string(), Value::from("15002")),
            ("甲 调研乡村学校".to_string(), Value::from("15001")),
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("王强.lvzhi");
    let sent = laptop.ok(&[
        "package",
        "export",
        "--member",
        "15001",
        "--year",
        "2024",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(sent.contains("1 条记录"), "{sent}");

    let (_, said) = add_record(&office, "丙 办公室的记录", &[]);
    assert!(said.contains("填报委员：未指明"), "{said}");
    let (_, said) = add_record(&office, "丁 代录", &["--author", "15001"]);
    assert!(said.contains("填报委员：王强（15001）"), "{said}");
    assert!(!said.contains("本机委员"), "{said}");
    assert_eq!(
        authors(&office),
        [
            ("丁 代录".to_string(), Value::from("15001")),
            ("丙 办公室的记录".to_string(), Value::Null),
        ]
    );
}

/// A package that would hold no record is refused (exit 1, "错误：…" naming the likely
/// causes) and no file is written; once a record names its author, it is written, as the
/// first package: the refusal used no sequence number.
#[test]
fn a_package_of_no_records_is_refused_and_no_file_is_written() {
    let l = Ledger::new();
    l.ok(&["member", "add", "--code", "15001", "--name", "王强"]);
    add_record(&l, "调研乡村学校", &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("王强-2024.lvzhi");
    let export = |code: &str| {
        vec![
            "package".to_string(),
            "export".into(),
            "--member".into(),
            code.into(),
            "--year".into(),
            "2024".into(),
            "--out".into(),
            file.to_str().unwrap().into(),
        ]
    };
    let run = |code: &str| {
        let args = export(code);
        l.fails(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };

    let err = run("15001");
    assert!(
        err.contains("委员 王强（15001）在 2024 年没有可导出的记录"),
        "{err}"
    );
    assert!(err.contains("没有指明填报委员"), "{err}");
    assert!(err.contains("--author 15001"), "{err}");
    assert!(!file.exists(), "no file is written");
    let err = run("15099");
    assert!(err.contains("15099（不在名单上）"), "{err}");
    assert!(!file.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    add_record(&l, "义诊进社区", &["--author", "15001"]);
    let args = export("15001");
    let said = l.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(said.contains("1 条记录，第 1 号"), "{said}");
    assert!(file.exists());
}

/// The report's details are typed on the command line as in the form, and the year-end
/// paragraph says them: a consultation's format, a proposal handled on submission and
/// answered, the platform, and assistance's recipient and forms.
#[test]
fn the_paragraph_says_what_the_details_say() {
    let l = Ledger::new();
    l.ok(&["init"]);
    let add = |extra: &[&str]| {
        let mut args = vec!["activity", "add", "--status", "accepted"];
        args.extend_from_slice(extra);
        l.ok(&args);
    };
    add(&[
        "--date",
        "2024-03-01",
        "--category",
        "consultation",
        "--title",
        "协商",
        "--format",
        "please_come",
    ]);
    add(&[
        "--date",
        "2024-01-15",
        "--category",
        "proposal",
        "--title",
        "关于优化校园周边交通的建议",
        "--on-submission",
        "--answered",
        "2024-02-20",
    ]);
    add(&[
        "--date",
        "2024-05-31",
        "--category",
        "monitoring_intake",
        "--title",
        "5月收件",
        "--platform",
        "营商环境监测平台",
        "--received",
        "12",
        "--resolved",
        "12",
    ]);
    add(&[
        "--date",
        "2024-06-12",
        "--category",
        "assistance",
        "--title",
        "帮扶",
        "--recipient",
        "平昌县",
        "--form",
        "goods",
        "--form",
        "consumption",
        "--funds-yuan",
        "120000",
    ]);
    let t = l.json(&["tally", "--year", "2024", "--json"]);
    let p = t["paragraph"].as_str().unwrap();
    for clause in [
        "开展“请你来协商”议政活动1次。",
        "《关于优化校园周边交通的建议》即交即办，已办复。",
        "营商环境监测平台全年共收到各类信息12条，均得到快速解答或有效落实。",
        "通过物资帮扶、消费帮扶等形式，向平昌县对口帮扶资金12万元。",
    ] {
        assert!(p.contains(clause), "{clause} not in {p}");
    }
    let stderr = l.fails(&[
        "activity",
        "add",
        "--date",
        "2024-03-02",
        "--category",
        "consultation",
        "--title",
        "x",
        "--format",
        "tea_party",
    ]);
    assert!(stderr.contains("tea_party"), "{stderr}");
}

/// The year report and a member's record as Word documents; a name that is not .docx is
/// refused before anything is written.
#[test]
fn the_report_and_a_members_record_are_written_as_word_documents() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("报告.docx");
    let record = dir.path().join("档案.docx");
    l.ok(&[
        "report",
        "--year",
        "2024",
        "--out",
        report.to_str().unwrap(),
    ]);
    l.ok(&[
        "member-record",
        "--year",
        "2024",
        "--member",
        "15001",
        "--out",
        record.to_str().unwrap(),
    ]);
    for file in [&report, &record] {
        let bytes = std::fs::read(file).unwrap();
        assert_eq!(&bytes[..2], b"PK", "{file:?} is a zip");
    }
    let folder = dir.path().join("档案");
    let said = l.ok(&[
        "member-records",
        "--year",
        "2024",
        "--out-dir",
        folder.to_str().unwrap(),
    ]);
    assert!(said.contains("70 位委员"), "{said}");
    let files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 70);
    assert!(
        files.contains(&"15001-王建国-2024年度履职档案.docx".to_string()),
        "{files:?}"
    );
    let pdf = dir.path().join("报告.pdf");
    let stderr = l.fails(&["report", "--year", "2024", "--out", pdf.to_str().unwrap()]);
    assert!(stderr.contains(".docx"), "{stderr}");
    assert!(!pdf.exists());
}

/// The office's template: a changed one shows in `tally` and in the Word report; a broken
/// one is refused with its line and changes nothing; the reset brings the default back.
#[test]
fn a_changed_paragraph_template_shows_in_the_tally_and_the_report() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let default_paragraph = l.json(&["tally", "--year", "2024", "--json"])["paragraph"]
        .as_str()
        .unwrap()
        .to_string();
    let shipped = l.ok(&["settings", "template"]);
    assert!(shipped.contains("委员工作室开展各类活动"), "{shipped}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("模板.txt");
    std::fs::write(
        &file,
        "{% if 工作室活动 %}全市委员工作室共开展活动{{ 工作室活动|phrase(\"场\") }}，\n\
         惠及群众{{ 工作室服务人次|phrase(\"人次\") }}；{% endif %}。\n\
         {% if 调研成果 %}调研成果{{ 调研成果|exact(\"篇\") }}。{% endif %}",
    )
    .unwrap();
    l.ok(&[
        "settings",
        "set",
        "paragraph-template",
        file.to_str().unwrap(),
    ]);
    assert!(l.ok(&["settings", "show"]).contains("段落模板：已修改"));
    let changed = l.json(&["tally", "--year", "2024", "--json"])["paragraph"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        changed.starts_with("2024年全年，全市委员工作室共开展活动50多场，惠及群众1万多人次。"),
        "{changed}"
    );
    assert!(changed.ends_with("调研成果8篇。"), "{changed}");
    assert!(l.ok(&["tally", "--year", "2024"]).contains(&changed));
    let report = dir.path().join("报告.docx");
    l.ok(&[
        "report",
        "--year",
        "2024",
        "--out",
        report.to_str().unwrap(),
    ]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&report).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(
        xml.contains("全市委员工作室共开展活动50多场"),
        "the docx lacks the paragraph"
    );

    // A broken template is refused, named by its line, and the kept one stays.
    std::fs::write(&file, "第一行\n{% if 活动 %}没有结束").unwrap();
    let stderr = l.fails(&[
        "settings",
        "set",
        "paragraph-template",
        file.to_str().unwrap(),
    ]);
    assert!(stderr.contains("第2行"), "{stderr}");
    std::fs::write(&file, [0xff, 0xfe, 0x00]).unwrap();
    l.fails(&[
        "settings",
        "set",
        "paragraph-template",
        file.to_str().unwrap(),
    ]);
    let after = l.json(&["tally", "--year", "2024", "--json"]);
    assert_eq!(after["paragraph"].as_str().unwrap(), changed);

    // Other events left out, then the default back.
    l.ok(&["settings", "reset-template"]);
    assert_eq!(
        l.json(&["tally", "--year", "2024", "--json"])["paragraph"]
            .as_str()
            .unwrap(),
        default_paragraph
    );
    assert!(default_paragraph.contains("另组织"), "{default_paragraph}");
    l.ok(&["settings", "set", "other-events", "omit"]);
    let omitted = l.json(&["tally", "--year", "2024", "--json"])["paragraph"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!omitted.contains("另组织"), "{omitted}");
    assert!(
        omitted.contains("委员工作室开展各类活动50多次"),
        "{omitted}"
    );
    l.fails(&["settings", "set", "other-events", "sometimes"]);
}

/// The text listing of members ends up in terminals and logs: it never holds a phone
/// number; `--json`, for scripts, does.
#[test]
fn the_member_listing_leaves_out_phones_and_json_keeps_them() {
    let l = Ledger::new();
    l.ok(&[
        "member",
        "add",
        "--code",
        "15001",
        "--name",
        "王强",
        "--phone",
        "13900001111",
    ]);
    let text = l.ok(&["member", "list"]);
    assert!(
        text.contains("王强") && !text.contains("13900001111"),
        "{text}"
    );
    let json = l.ok(&["member", "list", "--json"]);
    assert!(json.contains("13900001111"), "{json}");
}

/// A date after the person's own today is refused by the CLI as by the window, and nothing
/// is stored; today itself is fine.
#[test]
fn the_cli_refuses_a_record_dated_after_today() {
    let l = Ledger::new();
    l.ok(&["init"]);
    let today = chrono::Local::now().date_naive();
    let tomorrow = (today + chrono::Duration::days(2)).to_string();
    let add = |date: &str| {
        vec![
            "activity".to_string(),
            "add".into(),
            "--date".into(),
            date.to_string(),
            "--category".into(),
            "other".into(),
            "--title".into(),
            "明天的活动".into(),
        ]
    };
    let args = add(&tomorrow);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(l.fails(&args).contains("日期不能晚于今天"));
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    let args = add(&yesterday);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    l.ok(&args);
    let listed = l.ok(&["activity", "list", "--all"]);
    assert_eq!(listed.matches("明天的活动").count(), 1, "{listed}");
}

/// Windows: a ledger, a roster and the exports in folders named in Chinese, like
/// `C:\Users\王强\文档\名单.xlsx`. The names travel as UTF-16 (command line, file APIs).
#[cfg(windows)]
#[test]
fn windows_chinese_folders_for_the_ledger_the_roster_and_the_exports() {
    let base = tempfile::tempdir().unwrap();
    let docs = base.path().join("王强").join("文档");
    std::fs::create_dir_all(&docs).unwrap();
    let db = docs.join("履职台账.db");
    let roster = docs.join("名单.xlsx");
    assert!(roster.to_str().unwrap().contains(r"\王强\文档\名单.xlsx"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in [
        ["委员编号", "姓名", "性别", "界别"],
        ["15001", "王强", "男", "医药卫生"],
        ["15002", "李梅", "女", "教育"],
    ]
    .iter()
    .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save(&roster).unwrap();

    let ok = |args: &[&str]| {
        let out = lvzhi(Some(&db), args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    };
    let said = ok(&["roster", "import", roster.to_str().unwrap()]);
    assert!(said.contains("新增 2 人"), "{said}");
    let list = ok(&["member", "list"]);
    assert!(list.contains("王强") && list.contains("李梅"), "{list}");
    assert!(db.is_file(), "the ledger is in the Chinese folder");

    let demo = docs.join("演示.db");
    let ok = |args: &[&str]| {
        let out = lvzhi(Some(&demo), args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    };
    ok(&["demo"]);
    for name in ["2024年度统计.xlsx", "2024年度统计.csv"] {
        let out = docs.join(name);
        ok(&["export", "--year", "2024", "--out", out.to_str().unwrap()]);
        assert!(std::fs::metadata(&out).unwrap().len() > 100, "{name}");
    }
    // Exported again over the first: replaced, nothing left beside it.
    let csv = docs.join("2024年度统计.csv");
    ok(&["export", "--year", "2024", "--out", csv.to_str().unwrap()]);
    let leftovers = std::fs::read_dir(&docs)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with(".lvzhi-export-")
        })
        .count();
    assert_eq!(leftovers, 0);
}

/// Windows: with the console set to code page 936 (a Chinese Windows), output that is
/// redirected (to a file, a pipe) is still UTF-8, and so are the error messages; the CLI never
/// writes in the console's code page. (Into a console, Rust's std writes UTF-16 with
/// WriteConsoleW, which a code page cannot garble; `tests/windows/console.sh` checks that.)
#[cfg(windows)]
#[test]
fn windows_redirected_output_is_utf8_under_code_page_936() {
    use std::os::windows::process::CommandExt;
    let l = Ledger::new();
    l.ok(&["demo"]);
    let run = |args: &str| {
        let out = Command::new("cmd")
            .raw_arg(format!(
                "/d /s /c \"chcp 936 >nul & \"{}\" --db \"{}\" {args}\"",
                env!("CARGO_BIN_EXE_lvzhi"),
                l.path.display()
            ))
            .env_remove("LVZHI_DB")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        )
    };
    let (code, stdout, stderr) = run("member list");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("15001\t王建国"), "{stdout}");
    let (code, stdout, _) = run("tally --year 2024");
    assert_eq!(code, Some(0));
    assert!(stdout.contains("56次（50多次）"), "{stdout}");
    let (code, _, stderr) = run("activity delete 0123456789");
    assert_eq!(code, Some(1));
    assert!(stderr.starts_with("错误：未找到"), "{stderr}");
}

/// Windows: exporting over a file another program holds open. Held without delete sharing
/// (as Excel and WPS hold an open workbook) the export is refused, after a second of retries,
/// with a Chinese message that says what to do; the open file is left as it was and no
/// temporary file stays behind. Held with delete sharing (as most programs and every Rust
/// `File` open files), Windows 10 1809+ on NTFS replaces it (std's rename uses POSIX
/// semantics there); older Windows and wine refuse it the same clear way. Either way the file
/// is whole: old or new, never half.
#[cfg(windows)]
#[test]
fn windows_exporting_over_an_open_file() {
    use std::os::windows::fs::OpenOptionsExt;
    let l = Ledger::new();
    l.ok(&["demo"]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("年度统计.csv");
    std::fs::write(&out, "旧内容").unwrap();

    let shared = std::fs::File::open(&out).unwrap();
    let held = l.run(&["export", "--year", "2024", "--out", out.to_str().unwrap()]);
    drop(shared);
    if !held.status.success() {
        let stderr = String::from_utf8(held.stderr).unwrap();
        assert!(stderr.contains("正被其他程序"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "旧内容");
        l.ok(&["export", "--year", "2024", "--out", out.to_str().unwrap()]);
    }
    let new = std::fs::read(&out).unwrap();
    assert!(new.len() > 100, "replaced");

    let excel = std::fs::OpenOptions::new()
        .read(true)
        .share_mode(1) // FILE_SHARE_READ only, as Excel opens a workbook
        .open(&out)
        .unwrap();
    let stderr = l.fails(&["export", "--year", "2024", "--out", out.to_str().unwrap()]);
    assert!(stderr.contains("正被其他程序"), "{stderr}");
    assert!(stderr.contains("请关闭该文件后重试"), "{stderr}");
    drop(excel);
    assert_eq!(std::fs::read(&out).unwrap(), new, "left as it was");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["年度统计.csv"], "no temporary file left");

    // Once the file is closed, the same export goes through.
    l.ok(&["export", "--year", "2024", "--out", out.to_str().unwrap()]);
}

/// Windows: a ledger file marked read-only (copied from a CD, or set so in its properties)
/// opens for listing, tallying and export; every change is refused, clearly.
#[cfg(windows)]
#[test]
fn windows_a_read_only_ledger_file_lists_tallies_and_exports_and_refuses_changes() {
    let l = Ledger::new();
    l.ok(&["demo"]);
    let mut perms = std::fs::metadata(&l.path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&l.path, perms).unwrap();
    if std::fs::OpenOptions::new()
        .write(true)
        .open(&l.path)
        .is_ok()
    {
        // Wine run as root keeps the attribute but cannot enforce it (root writes any file).
        eprintln!("skipped: this system lets the read-only file be written");
        let mut perms = std::fs::metadata(&l.path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&l.path, perms).unwrap();
        return;
    }
    let t = l.json(&["tally", "--year", "2024", "--json"]);
    assert_eq!(t["activities"]["exact"], 56);
    let out = tempfile::tempdir().unwrap();
    let xlsx = out.path().join("2024.xlsx");
    l.ok(&["export", "--year", "2024", "--out", xlsx.to_str().unwrap()]);
    assert!(xlsx.exists());
    let err = l.fails(&["member", "add", "--code", "99001", "--name", "试用"]);
    assert!(err.contains("只读"), "{err}");
    let mut perms = std::fs::metadata(&l.path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&l.path, perms).unwrap();
}

/// The office keeps the roster from the command line as in the window's 名单管理: a member
/// added with the roster import's checks, edited field by field (the phone and the ID number
/// never printed), deactivated once they lead no studio, reactivated; a studio's lead and
/// members changed, a lead outside the studio refused.
#[test]
fn members_are_edited_deactivated_and_reactivated_and_studios_changed() {
    let l = Ledger::new();
    let added = l.ok(&[
        "member",
        "add",
        "--code",
        "15001",
        "--name",
        "王　强",
        "--phone",
        "13900001111",
        "--id-number",
        "11010519491231002X",
        "--sector",
        "医药卫生",
    ]);
    assert_eq!(added.trim(), "15001");
    l.ok(&["member", "add", "--code", "15002", "--name", "李梅"]);
    let bad_id = l.fails(&[
        "member",
        "add",
        "--code",
        "15003",
        "--name",
        "张伟",
        "--id-number",
        "110105194912310021",
    ]);
    assert!(
        bad_id.contains("校验位") && !bad_id.contains("110105"),
        "{bad_id}"
    );
    assert!(l
        .fails(&["member", "add", "--code", "15001", "--name", "另一人"])
        .contains("15001"));
    assert!(l
        .fails(&[
            "member",
            "add",
            "--code",
            "15003",
            "--name",
            "张伟",
            "--phone",
            "问前台"
        ])
        .contains("电话号码"));
    let long = "名".repeat(51);
    l.fails(&["member", "add", "--code", "15003", "--name", &long]);

    let edited = l.ok(&[
        "member", "edit", "15001", "--sector", "经济", "--role", "常委",
    ]);
    assert_eq!(edited.trim(), "15001\t王强");
    let member = |code: &str| {
        l.json(&["member", "list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == code)
            .cloned()
            .unwrap()
    };
    let wang = member("15001");
    assert_eq!(
        (&wang["sector"], &wang["role"], &wang["phone"]),
        (
            &Value::from("经济"),
            &Value::from("standing_member"),
            &Value::from("13900001111")
        ),
        "what was not given stays"
    );
    assert!(wang.get("id_number").is_none());
    l.ok(&["member", "edit", "15001", "--clear-phone"]);
    assert_eq!(member("15001")["phone"], Value::Null);
    assert!(l
        .fails(&["member", "edit", "15009", "--name", "某人"])
        .contains("15009"));
    assert_eq!(
        l.run(&["member", "edit", "15001", "--phone", "1", "--clear-phone"])
            .status
            .code(),
        Some(2)
    );

    let studio = l.ok(&[
        "studio",
        "add",
        "--name",
        "法律服务委员工作室",
        "--kind",
        "特色型",
        "--lead",
        "15001",
    ]);
    let id = studio.trim();
    let lead = l.fails(&["member", "deactivate", "15001"]);
    assert!(lead.contains("“法律服务委员工作室”的负责人"), "{lead}");
    let outside = l.fails(&["studio", "edit", "法律服务委员工作室", "--lead", "15002"]);
    assert!(outside.contains("负责人须是本工作室的成员"), "{outside}");
    let changed = l.ok(&[
        "studio",
        "edit",
        "法律服务委员工作室",
        "--add-member",
        "15002",
        "--lead",
        "15002",
    ]);
    assert!(changed.contains("负责人 15002\t成员 2 人"), "{changed}");
    assert!(l
        .ok(&["member", "deactivate", "15001"])
        .contains("已停用：王强（15001）"));
    assert_eq!(member("15001")["active"], false);
    assert!(l.ok(&["member", "list"]).contains("（已停用）"));
    let stranger = l.fails(&["studio", "edit", id, "--remove-member", "15009"]);
    assert!(stranger.contains("15009"), "{stranger}");
    l.ok(&[
        "studio",
        "edit",
        id,
        "--remove-member",
        "15001",
        "--name",
        "法律服务工作室",
    ]);
    let studios = l.json(&["studio", "list", "--json"]);
    assert_eq!(studios[0]["name"], "法律服务工作室");
    assert_eq!(studios[0]["member_codes"], serde_json::json!(["15002"]));
    assert_eq!(studios[0]["lead_code"], "15002");
    assert!(l
        .ok(&["member", "reactivate", "15001"])
        .contains("已重新启用"));
    assert_eq!(member("15001")["active"], true);
}

/// A member's laptop, made with the CLI: 王强 (15001) on the roster and the laptop his.
fn member_laptop() -> Ledger {
    let l = Ledger::new();
    l.ok(&["member", "add", "--code", "15001", "--name", "王强"]);
    l.ok(&["device", "set", "--member", "15001"]);
    l
}

/// The office's ledger: 王强 on the roster, the ledger the office's.
fn office_ledger() -> Ledger {
    let l = Ledger::new();
    l.ok(&["member", "add", "--code", "15001", "--name", "王强"]);
    l.ok(&["device", "set", "--office"]);
    l
}

/// Writes the laptop owner's package to `file`.
fn package_of(l: &Ledger, file: &Path) {
    l.ok(&[
        "package",
        "export",
        "--member",
        "15001",
        "--out",
        file.to_str().unwrap(),
    ]);
}

/// Each record's id, version and status, sorted.
fn records_held(l: &Ledger) -> Vec<(String, i64, String)> {
    let mut rows: Vec<_> = l
        .json(&["activity", "list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["version"].as_i64().unwrap(),
                a["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// 换电脑 from the command line: the office clears the key, the roster package carries the
/// member's accepted records back, a new laptop takes them once it knows whose it is (and
/// the same package twice changes nothing), and its next package merges without a duplicate.
#[test]
fn change_laptop_carries_the_accepted_records_back_to_the_new_laptop() {
    let dir = tempfile::tempdir().unwrap();
    let old = member_laptop();
    add_record(&old, "义诊进社区", &[]);
    add_record(&old, "走访企业", &[]);
    let office = office_ledger();
    package_of(&old, &dir.path().join("old.lvzhi"));
    office.ok(&[
        "package",
        "import",
        dir.path().join("old.lvzhi").to_str().unwrap(),
    ]);
    for (id, ..) in records_held(&office) {
        office.ok(&["activity", "review", &id, "--accept"]);
    }
    let accepted = records_held(&office);
    assert!(accepted.iter().all(|r| r.2 == "accepted"), "{accepted:?}");
    // A review is one of the two, and a return says why.
    let id = accepted[0].0.as_str();
    assert_eq!(
        office.run(&["activity", "review", id]).status.code(),
        Some(2)
    );
    let both = ["activity", "review", id, "--accept", "--return", "为什么"];
    assert_eq!(office.run(&both).status.code(), Some(2));
    assert!(office
        .fails(&["activity", "review", id, "--return", " "])
        .contains("退回时请写明原因"));

    let said = office.ok(&["package", "change-laptop", "15001"]);
    assert!(
        said.contains("王强（15001）") && said.contains("2 条"),
        "{said}"
    );
    assert!(office.ok(&["package", "keys"]).contains("等待新电脑"));
    let waiting = office.json(&["package", "carry-back", "--json"]);
    assert_eq!(
        (&waiting[0]["member_code"], &waiting[0]["records"]),
        (&Value::from("15001"), &Value::from(2))
    );
    let roster = dir.path().join("名单包.lvzhi");
    let roster_arg = roster.to_str().unwrap();
    let said = office.ok(&["roster-package", "export", "--out", roster_arg]);
    assert!(
        said.contains("带回委员 王强（15001）已通过的记录 2 条"),
        "{said}"
    );

    // A fresh laptop: the first import brings the roster but not the records (whose laptop
    // is it?); once it is 王强's, the same package brings them, and again changes nothing.
    let new = Ledger::new();
    let out = new.run(&["roster-package", "import", roster_arg]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("还没有设置为哪位委员的电脑"));
    assert!(records_held(&new).is_empty());
    new.ok(&["device", "set", "--member", "15001"]);
    let said = new.ok(&["roster-package", "import", roster_arg]);
    assert!(said.contains("带回本人已通过的记录 2 条"), "{said}");
    assert_eq!(records_held(&new), accepted, "same ids, versions, reviews");
    let said = new.ok(&["roster-package", "import", roster_arg]);
    assert!(!said.contains("带回"), "{said}");
    assert_eq!(records_held(&new), accepted);

    add_record(&new, "新电脑上的记录", &[]);
    package_of(&new, &dir.path().join("new.lvzhi"));
    let merged = office.json(&[
        "package",
        "import",
        dir.path().join("new.lvzhi").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        (
            &merged["new"],
            &merged["unchanged"],
            &merged["conflicts"],
            &merged["key"]
        ),
        (
            &Value::from(1),
            &Value::from(2),
            &Value::from(0),
            &Value::from("new")
        )
    );
    assert_eq!(records_held(&office).len(), 3, "no record twice");
    let waiting = office.json(&["package", "carry-back", "--json"]);
    assert_eq!(waiting.as_array().unwrap().len(), 0, "{waiting}");
    assert_eq!(
        office
            .json(&["package", "keys", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// What waits in quarantine, from the command line: listed with whose and what, a package
/// from a changed laptop retried (refused while the old key stands, merged as the new
/// laptop), and another discarded.
#[test]
fn quarantine_is_listed_retried_and_discarded_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| dir.path().join(name);
    let office = office_ledger();
    let old = member_laptop();
    add_record(&old, "义诊进社区", &[]);
    package_of(&old, &file("old.lvzhi"));
    office.ok(&["package", "import", file("old.lvzhi").to_str().unwrap()]);

    let new = member_laptop();
    add_record(&new, "新电脑的记录", &[]);
    package_of(&new, &file("new.lvzhi"));
    let err = office.fails(&["package", "import", file("new.lvzhi").to_str().unwrap()]);
    assert!(err.contains("电脑标识"), "{err}");
    let listed = office.ok(&["package", "quarantine", "list"]);
    for part in [
        "王强（15001）",
        "整个数据包（1 条记录）",
        "电脑标识变了",
        "可重试",
    ] {
        assert!(listed.contains(part), "{part}: {listed}");
    }
    let waiting = office.json(&["package", "quarantine", "list", "--json"]);
    let id = waiting[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(waiting[0]["problem"], "key_changed");

    let err = office.fails(&["package", "quarantine", "retry", &id]);
    assert!(err.contains("仍不能合并"), "{err}");
    assert_eq!(records_held(&office).len(), 1);
    let said = office.ok(&["package", "quarantine", "retry", &id, "--new-laptop"]);
    assert!(
        said.contains("已重试并合并") && said.contains("新增 1"),
        "{said}"
    );
    assert_eq!(records_held(&office).len(), 2);
    assert!(office
        .ok(&["package", "quarantine", "list"])
        .trim()
        .is_empty());

    let third = member_laptop();
    add_record(&third, "又一台电脑", &[]);
    package_of(&third, &file("third.lvzhi"));
    office.fails(&["package", "import", file("third.lvzhi").to_str().unwrap()]);
    let id = office.json(&["package", "quarantine", "list", "--json"])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    assert!(office
        .ok(&["package", "quarantine", "discard", &id])
        .contains("已放弃"));
    assert!(office
        .ok(&["package", "quarantine", "list"])
        .trim()
        .is_empty());
    let err = office.fails(&["package", "quarantine", "discard", &id]);
    assert!(err.contains("未找到"), "{err}");
    assert_eq!(records_held(&office).len(), 2, "nothing merged");
}

#[test]
fn score_rules_are_kept_per_year_and_a_members_score_shows_its_records() {
    let l = Ledger::new();
    l.ok(&[
        "member",
        "add",
        "--code",
        "15001",
        "--name",
        "王强",
        "--sector",
        "经济界",
    ]);
    l.ok(&[
        "member",
        "add",
        "--code",
        "15002",
        "--name",
        "李梅",
        "--sector",
        "经济界",
    ]);
    for (day, author) in [("01", "15001"), ("02", "15001"), ("03", "15002")] {
        l.ok(&[
            "activity",
            "add",
            "--date",
            &format!("2024-03-{day}"),
            "--category",
            "studio_activity",
            "--title",
            &format!("工作室活动{day}"),
            "--author",
            author,
        ]);
    }
    assert!(l
        .ok(&["score", "rules", "--year", "2024"])
        .contains("还没有积分规则"));
    l.ok(&[
        "score",
        "add",
        "--year",
        "2024",
        "--item",
        "工作室活动",
        "--basis",
        "activity:studio_activity",
        "--points",
        "2.5",
        "--cap",
        "4",
    ]);
    let rules = l.json(&["score", "rules", "--year", "2024", "--json"]);
    assert_eq!(rules["rules"][0]["points"], 250);
    assert_eq!(rules["rules"][0]["cap"], 400);

    let scores = l.json(&["score", "show", "--year", "2024", "--json"]);
    let totals: Vec<(String, i64, i64)> = scores["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["member_code"].as_str().unwrap().to_string(),
                m["total"].as_i64().unwrap(),
                m["rank_in_sector"].as_i64().unwrap(),
            )
        })
        .collect();
    // 王强: two records of 2.5, held to the cap of 4; 李梅 one.
    assert_eq!(
        totals,
        [("15001".to_string(), 400, 1), ("15002".to_string(), 250, 2)]
    );
    let text = l.ok(&["score", "show", "--year", "2024", "--member", "15001"]);
    assert!(text.contains("年度履职积分：4 分"), "{text}");
    assert!(text.contains("合计 5，按上限计"), "{text}");
    assert!(text.contains("工作室活动02"), "{text}");

    // Next year's rules, started from this year's and changed, leave this year alone.
    l.ok(&["score", "start", "--year", "2025", "--from", "2024"]);
    l.ok(&["score", "remove", "--year", "2025", "--item", "工作室活动"]);
    assert!(
        l.json(&["score", "rules", "--year", "2025", "--json"])["rules"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        l.json(&["score", "show", "--year", "2024", "--json"]),
        scores
    );

    // Bad rules are refused with the row, and nothing changes.
    let err = l.fails(&[
        "score",
        "add",
        "--year",
        "2024",
        "--item",
        "工作室活动",
        "--basis",
        "activity:other",
        "--points",
        "1",
    ]);
    assert!(err.contains("第2行") && err.contains("重复"), "{err}");
    let err = l.fails(&[
        "score",
        "add",
        "--year",
        "2024",
        "--item",
        "乱写",
        "--basis",
        "attend:present:party",
        "--points",
        "1",
    ]);
    assert!(err.contains("计分依据"), "{err}");
    l.fails(&[
        "score",
        "add",
        "--year",
        "2024",
        "--item",
        "x",
        "--basis",
        "activity:other",
        "--points",
        "5分",
    ]);
    l.fails(&["score", "start", "--year", "2024"]);
    assert_eq!(
        l.json(&["score", "rules", "--year", "2024", "--json"]),
        rules
    );

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("积分.xlsx");
    l.ok(&[
        "score",
        "export",
        "--year",
        "2024",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
    l.fails(&[
        "score",
        "export",
        "--year",
        "2024",
        "--out",
        dir.path().join("a.csv").to_str().unwrap(),
    ]);
    assert!(l.ok(&["score", "bases"]).contains("attend:absent:plenary"));
}

/// 提案: a proposal with co-proposers is added, the office files it with its units, answers it
/// with a satisfaction and a key mark, and `proposal show --json` and `proposal list --stage`
/// agree; an answer before filing is refused with exit 1.
#[test]
fn proposal_stage_moves_from_filed_to_answered() {
    let l = Ledger::new();
    for (code, name) in [("15001", "王强"), ("15002", "李梅"), ("15003", "张伟")] {
        l.ok(&["member", "add", "--code", code, "--name", name]);
    }
    let id = l.ok(&[
        "activity",
        "add",
        "--date",
        "2024-01-15",
        "--category",
        "proposal",
        "--title",
        "关于课后服务的建议",
        "--author",
        "15001",
        "--co-proposer",
        "15003",
        "--co-proposer",
        "15002",
        "--proposer-group",
        "教育界别",
    ]);
    let id = id.trim();
    let p = l.json(&["proposal", "show", id, "--json"]);
    assert_eq!(
        p["activity"]["co_proposers"],
        serde_json::json!(["15003", "15002"])
    );
    assert_eq!(p["activity"]["proposer_group"], "教育界别");
    assert_eq!(p["stage"]["filing"], "pending");
    let err = l.fails(&["proposal", "stage", id, "--answered", "2024-03-01"]);
    assert!(err.contains("立案"), "{err}");
    l.ok(&[
        "proposal",
        "stage",
        id,
        "--filing",
        "filed",
        "--serial",
        "第12号",
        "--unit",
        "主办:市教育局",
        "--unit",
        "会办:市财政局",
    ]);
    let listed = l.json(&[
        "proposal",
        "list",
        "--year",
        "2024",
        "--stage",
        "unanswered",
        "--json",
    ]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    l.ok(&[
        "proposal",
        "stage",
        id,
        "--answered",
        "2024-03-01",
        "--satisfaction",
        "satisfied",
        "--key",
    ]);
    let p = l.json(&["proposal", "show", id, "--json"]);
    assert_eq!(p["stage"]["filing"], "filed");
    assert_eq!(p["stage"]["serial"], "第12号");
    assert_eq!(p["stage"]["units"][0]["unit"], "市教育局");
    assert_eq!(p["stage"]["units"][0]["role"], "host");
    assert_eq!(p["stage"]["units"][1]["role"], "assist");
    assert_eq!(p["stage"]["answered_on"], "2024-03-01");
    assert_eq!(p["stage"]["satisfaction"], "satisfied");
    assert_eq!(p["stage"]["key_proposal"], true);
    assert_eq!(p["answered_on"], "2024-03-01");
    for (stage, n) in [
        ("answered", 1),
        ("unanswered", 0),
        ("key", 1),
        ("pending", 0),
    ] {
        let listed = l.json(&[
            "proposal", "list", "--year", "2024", "--stage", stage, "--json",
        ]);
        assert_eq!(listed.as_array().unwrap().len(), n, "{stage}");
    }
    let text = l.ok(&["proposal", "list", "--year", "2024"]);
    assert!(text.contains("主办：市教育局"), "{text}");
    l.fails(&["proposal", "list", "--year", "2024", "--stage", "whatever"]);
}

/// 社情民意: adoptions and instructions by level, counted exactly.
#[test]
fn opinion_adoptions_are_counted_by_level() {
    let l = Ledger::new();
    l.ok(&["member", "add", "--code", "15001", "--name", "王强"]);
    let mut ids = Vec::new();
    for title in ["关于快递包装回收的信息", "关于公交线路调整的信息"] {
        let id = l.ok(&[
            "activity",
            "add",
            "--date",
            "2024-02-01",
            "--category",
            "opinion_report",
            "--title",
            title,
            "--author",
            "15001",
        ]);
        ids.push(id.trim().to_string());
    }
    l.ok(&[
        "opinion",
        "adopt",
        &ids[0],
        "--level",
        "provincial",
        "--date",
        "2024-03-01",
    ]);
    l.ok(&["opinion", "adopt", &ids[0], "--level", "city"]);
    l.ok(&[
        "opinion",
        "instruction",
        &ids[1],
        "--level",
        "city",
        "--leader",
        "分管副市长",
    ]);
    l.fails(&["opinion", "adopt", &ids[1], "--level", "galactic"]);
    let c = l.json(&["opinion", "counts", "--year", "2024", "--json"]);
    assert_eq!(c["reports"], 2);
    assert_eq!(c["reports_adopted"], 2);
    assert_eq!(c["adopted"]["provincial"], 1);
    assert_eq!(c["adopted"]["city"], 1);
    assert_eq!(c["instructions"]["city"], 1);
    let list = l.json(&["opinion", "list", "--year", "2024", "--json"]);
    assert_eq!(list[0]["adoptions"].as_array().unwrap().len(), 2);
    let text = l.ok(&["opinion", "list", "--year", "2024"]);
    assert!(text.contains("地市级领导批示（分管副市长）"), "{text}");
    l.ok(&[
        "opinion", "remove", &ids[0], "--kind", "adopted", "--level", "city",
    ]);
    let c = l.json(&["opinion", "counts", "--year", "2024", "--json"]);
    assert_eq!(c["adopted"]["city"], 0);
}

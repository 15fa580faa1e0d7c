//! `lvzhi meeting`: a meeting added, invited, its roll taken and a sign-in sheet imported,
//! through the real binary, with `--json` read back.

use super::Ledger;

fn office() -> Ledger {
    let l = Ledger::new();
    l.ok(&[
        "member", "add", "--code", "15001", "--name", "王强", "--sector", "教育", "--role", "常委",
    ]);
    l.ok(&[
        "member", "add", "--code", "15002", "--name", "李梅", "--sector", "教育",
    ]);
    l.ok(&[
        "member",
        "add",
        "--code",
        "15003",
        "--name",
        "张伟",
        "--sector",
        "医药卫生",
    ]);
    l
}

fn add(l: &Ledger, kind: &str, date: &str, title: &str) -> String {
    let m = l.json(&[
        "meeting", "add", "--kind", kind, "--date", date, "--title", title, "--json",
    ]);
    m["id"].as_str().unwrap().to_string()
}

#[test]
fn a_meeting_is_added_invited_and_its_roll_taken_from_the_cli() {
    let l = office();
    let id = add(&l, "全体会议", "2024-01-08", "十五届三次会议");
    let short = &id[..8];
    let invited = l.json(&["meeting", "invite", short, "--all", "--json"]);
    assert_eq!(invited["added"], 3);
    // A leave without its reason, or a code not invited, changes nothing.
    let err = l.fails(&["meeting", "roll", short, "--leave", "15002"]);
    assert!(err.contains("--reason"), "{err}");
    l.fails(&["meeting", "roll", short, "--present", "99999"]);
    let d = l.json(&[
        "meeting",
        "roll",
        short,
        "--leave",
        "15002",
        "--reason",
        "因公出差",
        "--absent",
        "15003",
        "--all-present",
        "--json",
    ]);
    assert_eq!(d["meeting"]["counts"]["present"], 1);
    assert_eq!(d["meeting"]["counts"]["leave"], 1);
    assert_eq!(d["meeting"]["counts"]["absent"], 1);
    let shown = l.json(&["meeting", "show", &id, "--json"]);
    let li = shown["invitees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "15002")
        .unwrap();
    assert_eq!(li["attendance"], "leave");
    assert_eq!(li["leave_reason"], "因公出差");
    let text = l.ok(&["meeting", "show", short]);
    assert!(text.contains("李梅  请假（因公出差）"), "{text}");
    // --all-present fills the rest and keeps the 请假 already recorded with its reason.
    l.ok(&["meeting", "roll", short, "--all-present"]);
    assert!(l
        .ok(&["meeting", "show", short])
        .contains("李梅  请假（因公出差）"));

    let s = add(&l, "standing", "2024-03-08", "常委会议");
    l.ok(&["meeting", "invite", &s, "--standing"]);
    l.ok(&["meeting", "roll", &s, "--all-present"]);
    let list = l.json(&["meeting", "list", "--year", "2024", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["id"], s.as_str(), "newest first");
    assert!(l
        .json(&["meeting", "list", "--year", "2023", "--json"])
        .as_array()
        .unwrap()
        .is_empty());

    // Rates: 王强 2 of 2; 李梅 0 of 1 (请假 is not 出席); 教育 2 of 3.
    let r = l.json(&["meeting", "attendance", "--year", "2024", "--json"]);
    let member = |code: &str| {
        r["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["key"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(member("15001")["rate"], 1.0);
    assert_eq!(member("15002")["rate"], 0.0);
    assert_eq!(member("15002")["leave"], 1);
    let edu = r["sectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "教育")
        .unwrap()
        .clone();
    assert_eq!(
        (edu["invited"].as_u64(), edu["present"].as_u64()),
        (Some(3), Some(2))
    );
    let text = l.ok(&["meeting", "attendance", "--year", "2024"]);
    assert!(
        text.contains("15002 李梅（教育）：应出席 1，出席 0，请假 1，缺席 0，出席率 0.0%"),
        "{text}"
    );
    let wang = l.json(&[
        "meeting",
        "attendance",
        "--year",
        "2024",
        "--member",
        "15001",
        "--json",
    ]);
    assert_eq!(wang["by_kind"].as_array().unwrap().len(), 2);

    l.ok(&["meeting", "delete", &s]);
    assert_eq!(
        l.json(&["meeting", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    l.fails(&["meeting", "show", &s]);
}

#[test]
fn a_sign_in_sheet_is_previewed_refused_with_its_problems_and_imported_with_yes() {
    let l = office();
    let id = add(&l, "consultation", "2024-07-10", "请你来协商");
    l.ok(&["meeting", "invite", &id, "--codes", "15001,15002"]);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "姓名,签到,请假事由\n王强,出席,\n无名氏,出席,\n李梅,请假,\n",
    )
    .unwrap();
    let out = l.run(&[
        "meeting",
        "import-signin",
        bad.to_str().unwrap(),
        "--meeting",
        &id,
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("第 3 行 A 列（姓名）：名单上没有“无名氏”"),
        "{stdout}"
    );
    assert!(
        stdout.contains("第 4 行 C 列（请假事由）：请假需要填写请假事由"),
        "{stdout}"
    );
    let shown = l.json(&["meeting", "show", &id, "--json"]);
    assert_eq!(shown["meeting"]["counts"]["pending"], 2, "nothing written");

    let good = dir.path().join("good.csv");
    std::fs::write(&good, "委员编号,姓名,签到情况,请假事由\n15001,王强,√,\n15002,李梅,请假,家中有事\n15003,张伟,已签到,\n").unwrap();
    // Without --yes: the preview, exit 1, nothing written.
    let preview = l.run(&[
        "meeting",
        "import-signin",
        good.to_str().unwrap(),
        "--meeting",
        &id,
        "--json",
    ]);
    assert_eq!(preview.status.code(), Some(1));
    let p: serde_json::Value = serde_json::from_slice(&preview.stdout).unwrap();
    assert_eq!(p["applied"], false);
    assert_eq!(
        (
            p["preview"]["rows_read"].as_u64(),
            p["preview"]["invited_now"].as_u64()
        ),
        (Some(3), Some(1))
    );
    let done = l.json(&[
        "meeting",
        "import-signin",
        good.to_str().unwrap(),
        "--meeting",
        &id,
        "--yes",
        "--json",
    ]);
    assert_eq!(done["applied"], true);
    let shown = l.json(&["meeting", "show", &id, "--json"]);
    let c = &shown["meeting"]["counts"];
    assert_eq!(
        (
            c["invited"].as_u64(),
            c["present"].as_u64(),
            c["leave"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
}

#[test]
fn hostile_sign_in_sheets_are_refused_clearly_and_change_nothing() {
    let l = office();
    let id = add(&l, "other", "2024-05-01", "座谈会");
    l.ok(&["meeting", "invite", &id, "--codes", "15001"]);
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let mut big = String::from("姓名,签到\n");
    for i in 0..10_000 {
        big.push_str(&format!("某某{i},出席\n"));
    }
    for (file, part) in [
        (write("empty.csv", ""), "文件是空的"),
        (
            write("wrong.csv", "委员,电话\n王强,139\n"),
            "找不到签到表的表头",
        ),
        (write("big.csv", &big), "10000 行存在问题"),
        (
            write("twice.csv", "姓名,签到\n王强,出席\n王强,缺席\n"),
            "1 行存在问题",
        ),
    ] {
        let err = l.fails(&[
            "meeting",
            "import-signin",
            file.to_str().unwrap(),
            "--meeting",
            &id,
            "--yes",
        ]);
        assert!(err.contains(part), "{file:?}: {err}");
    }
    let shown = l.json(&["meeting", "show", &id, "--json"]);
    assert_eq!(shown["meeting"]["counts"]["pending"], 1, "nothing written");
    assert_eq!(shown["meeting"]["counts"]["invited"], 1);
}

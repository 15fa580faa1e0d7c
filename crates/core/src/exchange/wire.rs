//! A member's record as a package carries it, read in one pass.
//!
//! `Activity` flattens its `ActivityInput`, and serde reads a flattened struct by first
//! buffering every field of the record into a map of its own values, then reading that map
//! again: most of the cost of reading a package. `Flat` holds the same fields with the same
//! types, side by side, so serde reads it straight from the text. It gives the `Activity`
//! that `serde_json::from_str::<Activity>` gives; where it fails, the merge reads the record
//! that slower way again, so that a broken record is refused with the very same words
//! (`read`). A field added to `Activity` or `ActivityInput` is a compile error in `into_activity`
//! until `Flat` has it too, and `reads_what_serde_reads_of_every_field` checks them all.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use crate::model::{
    Activity, ActivityInput, AssistanceForm, Category, ConsultationFormat, ServiceLine, Status,
};

/// `Activity`'s fields and `ActivityInput`'s, with their types and defaults.
#[derive(Deserialize)]
struct Flat {
    id: String,
    device_id: String,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deleted: bool,
    review_comment: Option<String>,
    studio_name: Option<String>,
    date: NaiveDate,
    category: Category,
    title: String,
    studio_id: Option<String>,
    organizer: Option<String>,
    location: Option<String>,
    doc_number: Option<String>,
    participants: Vec<String>,
    people_served: i64,
    items_received: i64,
    items_resolved: i64,
    services: Vec<ServiceLine>,
    funds_fen: i64,
    notes: Option<String>,
    author_code: Option<String>,
    status: Status,
    #[serde(default)]
    consultation_format: Option<ConsultationFormat>,
    #[serde(default)]
    recipient: Option<String>,
    #[serde(default)]
    assistance_forms: Vec<AssistanceForm>,
    #[serde(default)]
    platform: Option<String>,
    #[serde(default)]
    handled_on_submission: bool,
    #[serde(default)]
    answered_on: Option<NaiveDate>,
    #[serde(default)]
    co_proposers: Vec<String>,
    #[serde(default)]
    proposer_group: Option<String>,
}

impl Flat {
    fn into_activity(self) -> Activity {
        Activity {
            id: self.id,
            device_id: self.device_id,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted: self.deleted,
            review_comment: self.review_comment,
            studio_name: self.studio_name,
            input: ActivityInput {
                date: self.date,
                category: self.category,
                title: self.title,
                studio_id: self.studio_id,
                organizer: self.organizer,
                location: self.location,
                doc_number: self.doc_number,
                participants: self.participants,
                people_served: self.people_served,
                items_received: self.items_received,
                items_resolved: self.items_resolved,
                services: self.services,
                funds_fen: self.funds_fen,
                notes: self.notes,
                author_code: self.author_code,
                status: self.status,
                consultation_format: self.consultation_format,
                recipient: self.recipient,
                assistance_forms: self.assistance_forms,
                platform: self.platform,
                handled_on_submission: self.handled_on_submission,
                answered_on: self.answered_on,
                co_proposers: self.co_proposers,
                proposer_group: self.proposer_group,
            },
        }
    }
}

/// One record of a package's body, as `serde_json::from_str::<Activity>` reads it, error
/// and all: straight through `Flat`, or, when that fails, through `Activity` itself.
pub(crate) fn read(raw: &str) -> serde_json::Result<Activity> {
    match serde_json::from_str::<Flat>(raw) {
        Ok(flat) => Ok(flat.into_activity()),
        Err(_) => serde_json::from_str::<Activity>(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn both(raw: &str) -> (Result<Activity, String>, Result<Activity, String>) {
        (
            serde_json::from_str::<Flat>(raw)
                .map(Flat::into_activity)
                .map_err(|e| e.to_string()),
            serde_json::from_str::<Activity>(raw).map_err(|e| e.to_string()),
        )
    }

    fn full() -> serde_json::Value {
        json!({
            "id": "0190a000-0000-7000-8000-000000000001", "device_id": "dev", "version": 3,
            "created_at": "2024-05-01T08:00:00Z", "updated_at": "2024-05-02T08:00:00.5+08:00",
            "deleted": true, "review_comment": "请补充", "studio_name": "工作室",
            "date": "2024-05-12", "category": "proposal", "title": "标题\"引号\"\\u4e2d",
            "studio_id": "s1", "organizer": "政协", "location": "西城", "doc_number": "第1号",
            "participants": ["15002", "15001"], "people_served": 1, "items_received": 2,
            "items_resolved": 1, "services": [{"service": "义诊", "count": 3}],
            "funds_fen": 100, "notes": "备注", "author_code": "15001", "status": "accepted",
            "consultation_format": "thematic", "recipient": "平昌县",
            "assistance_forms": ["goods", "funds"], "platform": "平台",
            "handled_on_submission": true, "answered_on": "2024-06-01",
            "co_proposers": ["15003"], "proposer_group": "民盟"
        })
    }

    /// Every field set, each left out, each null, each of another type, unknown and
    /// repeated keys: wherever the one-pass read gives a record, it is the record serde
    /// gives, and the merge's `read` gives serde's answer in every case.
    #[test]
    fn reads_what_serde_reads_of_every_field() {
        let mut cases = vec![full().to_string()];
        let keys: Vec<String> = full().as_object().unwrap().keys().cloned().collect();
        for key in &keys {
            for value in [
                None,
                Some(json!(null)),
                Some(json!(7)),
                Some(json!("x")),
                Some(json!([])),
                Some(json!({"inspection": null})),
            ] {
                let mut record = full();
                match value {
                    None => drop(record.as_object_mut().unwrap().remove(key)),
                    Some(v) => record[key] = v,
                }
                cases.push(record.to_string());
            }
        }
        let text = full().to_string();
        cases.push(text.replacen('{', "{\"unknown\":[1,{\"a\":2}],", 1));
        cases.push(text.replacen('{', "{\"title\":\"前\",", 1));
        cases.push(text.replacen('{', "{\"version\":9,", 1));
        cases.push(text.replace("\"title\"", "\"\\u0074itle\""));
        cases.push(text.replace("\"accepted\"", "{\"accepted\":null}"));
        cases.push(text.replace("[{\"count\":3,\"service\":\"义诊\"}]", "[[\"义诊\",3]]"));
        cases.extend(["42", "null", "[]", "{}", "{\"id\":"].map(String::from));
        let mut read_by_both = 0;
        for raw in &cases {
            let (flat, serde) = both(raw);
            if let Ok(a) = &flat {
                assert_eq!(serde.as_ref().ok(), Some(a), "{raw}");
                read_by_both += 1;
            }
            assert_eq!(read(raw).map_err(|e| e.to_string()), serde, "{raw}");
        }
        assert!(read_by_both > 30, "{read_by_both}");
    }
}

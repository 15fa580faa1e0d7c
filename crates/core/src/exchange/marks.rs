//! The office's marks on proposals and opinion reports in the roster package: every stage
//! and adoption the office has set goes; a laptop keeps those of its owner's records it holds
//! (author or co-proposer), read-only, replacing what an earlier package brought. Proposals
//! with co-proposers go too, with their stages: a co-proposer's laptop keeps a copy of those
//! naming its owner that it does not hold, to read (`co_proposed_copies`).

use rusqlite::Connection;
use std::collections::HashMap;

use crate::db;
use crate::error::{Error, Result};
use crate::model::proposals::{AdoptionRecord, Proposal, StageRecord};
use crate::model::{Category, DeviceRole};

/// Every proposal that names a co-proposer, with its stage: what co-proposers' laptops read.
pub(super) fn co_proposed_to_send(conn: &Connection) -> Result<Vec<Proposal>> {
    let mut out = Vec::new();
    for id in db::proposals::co_proposed_ids(conn)? {
        if let Some(activity) = db::activities::get(conn, &id)? {
            let stage = db::proposals::stage(conn, &id)?;
            out.push(Proposal::new(activity, stage));
        }
    }
    Ok(out)
}

/// Checks co-proposed proposals from a roster package: each a proposal within the ledger's
/// limits, its stage by the stage's rules.
pub(super) fn check_co_proposed(
    list: Vec<Proposal>,
) -> std::result::Result<Vec<Proposal>, (String, Error)> {
    list.into_iter()
        .map(|mut p| {
            let what = format!("联名提案（{}）", p.activity.id);
            if p.activity.input.category != Category::Proposal {
                return Err((what, Error::invalid("category", "不是提案")));
            }
            p.activity = p.activity.checked().map_err(|e| (what.clone(), e))?;
            p.stage = p.stage.normalized().map_err(|e| (what, e))?;
            Ok(p)
        })
        .collect()
}

/// On a laptop: replaces its copies with the proposals of the package that name the owner as
/// a co-proposer and that it does not hold itself. How many it keeps.
pub(super) fn take_co_proposed(
    conn: &Connection,
    list: &[Proposal],
    owner: Option<&str>,
) -> Result<u64> {
    let office = db::settings::get(conn, db::settings::DEVICE_ROLE)?;
    if office.as_deref() == Some(DeviceRole::Office.as_str()) {
        return Ok(0);
    }
    db::proposals::clear_copies(conn)?;
    let Some(owner) = owner else {
        return Ok(0);
    };
    let mut kept = 0;
    for p in list {
        let named = p.activity.input.co_proposers.iter().any(|c| c == owner);
        if named && !db::proposals::holds(conn, &p.activity.id)? {
            let json =
                serde_json::to_string(p).map_err(|e| Error::invalid("proposal", e.to_string()))?;
            db::proposals::put_copy(conn, &p.activity.id, &json)?;
            kept += 1;
        }
    }
    Ok(kept)
}

/// What the roster package carries back: every stage and adoption the office has set.
pub(super) fn marks_to_send(conn: &Connection) -> Result<(Vec<StageRecord>, Vec<AdoptionRecord>)> {
    Ok((
        db::proposals::stages(conn, None)?,
        db::proposals::all_adoptions(conn, None)?,
    ))
}

/// Checks marks from a roster package against the ledger's rules; the first that fails is
/// named.
pub(super) fn check_marks(
    stages: Vec<StageRecord>,
    adoptions: Vec<AdoptionRecord>,
) -> std::result::Result<(Vec<StageRecord>, Vec<AdoptionRecord>), (String, Error)> {
    let stages = stages
        .into_iter()
        .map(|mut s| {
            let what = format!("提案办理进度（{}）", s.activity_id);
            crate::model::limits::check_record_id(&s.activity_id)
                .map_err(|m| (what.clone(), Error::invalid("id", m)))?;
            s.stage = s.stage.normalized().map_err(|e| (what, e))?;
            Ok(s)
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let adoptions = adoptions
        .into_iter()
        .map(|mut a| {
            let what = format!("社情民意信息采用情况（{}）", a.activity_id);
            crate::model::limits::check_record_id(&a.activity_id)
                .map_err(|m| (what.clone(), Error::invalid("id", m)))?;
            a.adoption = a.adoption.normalized().map_err(|e| (what, e))?;
            Ok(a)
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok((stages, adoptions))
}

/// On a laptop: replaces the office's marks it holds with those of the package that belong
/// to the owner's records it holds (author or co-proposer). How many stages and adoptions
/// were kept.
pub(super) fn take_marks(
    conn: &Connection,
    stages: &[StageRecord],
    adoptions: &[AdoptionRecord],
    owner: Option<&str>,
) -> Result<(u64, u64)> {
    let office = db::settings::get(conn, db::settings::DEVICE_ROLE)?;
    if office.as_deref() == Some(DeviceRole::Office.as_str()) {
        return Ok((0, 0));
    }
    db::proposals::clear_office_marks(conn)?;
    let Some(owner) = owner else {
        return Ok((0, 0));
    };
    let mine = |id: &str| -> Result<bool> {
        Ok(match db::activities::get(conn, id)? {
            Some(a) => {
                a.input.author_code.as_deref() == Some(owner)
                    || a.input.co_proposers.iter().any(|c| c == owner)
            }
            None => false,
        })
    };
    let mut cache: HashMap<String, bool> = HashMap::new();
    let mut is_mine = |id: &str| -> Result<bool> {
        if let Some(v) = cache.get(id) {
            return Ok(*v);
        }
        let v = mine(id)?;
        cache.insert(id.to_string(), v);
        Ok(v)
    };
    let (mut s_kept, mut a_kept) = (0, 0);
    for s in stages {
        if is_mine(&s.activity_id)? {
            db::proposals::put_stage(conn, s)?;
            s_kept += 1;
        }
    }
    for a in adoptions {
        if is_mine(&a.activity_id)? {
            db::proposals::put_adoption(conn, a)?;
            a_kept += 1;
        }
    }
    Ok((s_kept, a_kept))
}

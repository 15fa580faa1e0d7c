//! The rooms of the CLI, one per subcommand in `args.rs`. Each function reads its flags,
//! makes one core call and prints the result as text or, with `--json`, as JSON.

pub mod activity;
pub mod backup;
pub mod demo;
pub mod device;
pub mod export;
pub mod init;
pub mod meeting;
pub mod member;
pub mod member_record;
pub mod package;
pub mod proposal;
pub mod roster;
pub mod roster_package;
pub mod score;
pub mod settings;
pub mod studio;
pub mod tally;

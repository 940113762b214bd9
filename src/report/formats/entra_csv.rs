//! The Entra / Azure portal audit-log download as CSV: 86 double-quoted columns (older
//! downloads fewer), read by name. Known translations of the headers are accepted.

use crate::report::delimited::Record;

use super::audit::{audit_event, AuditFields};
use super::{field, opt, req, Column, FormatId, RowContext, RowFault, Staged, TableFormat};

pub struct EntraAuditCsv;

static COLUMNS: [Column; 12] = [
    req(
        "Date (UTC)",
        &["dateutc", "fechautc", "datumutc", "dateheureutc", "datautc"],
    ),
    req(
        "Activity",
        &[
            "activity",
            "actividad",
            "aktivität",
            "activité",
            "activiteit",
            "aktivitet",
        ],
    ),
    req(
        "CorrelationId",
        &[
            "correlationid",
            "iddecorrelación",
            "iddecorrelacion",
            "correlatieid",
        ],
    ),
    opt("Service", &["service", "servicio", "dienst", "tjänst"]),
    opt(
        "Result",
        &[
            "result",
            "resultado",
            "ergebnis",
            "résultat",
            "resultaat",
            "resultat",
        ],
    ),
    opt(
        "ResultReason",
        &["resultreason", "motivodelresultado", "razóndelresultado"],
    ),
    opt("ActorUserPrincipalName", &["actoruserprincipalname"]),
    opt("ActorDisplayName", &["actordisplayname"]),
    opt("IPAddress", &["ipaddress", "direcciónip", "direccionip"]),
    opt("Target1UserPrincipalName", &["target1userprincipalname"]),
    opt("Target1Type", &["target1type"]),
    opt("ActorType", &["actortype"]),
];

const TIME: usize = 0;

impl TableFormat for EntraAuditCsv {
    fn id(&self) -> FormatId {
        FormatId::EntraAuditCsv
    }

    fn columns(&self) -> &'static [Column] {
        &COLUMNS
    }

    fn time_column(&self, _at: &[Option<usize>]) -> usize {
        TIME
    }

    fn read(
        &self,
        at: &[Option<usize>],
        record: &Record<'_>,
        cx: &mut RowContext<'_>,
    ) -> Result<Staged, RowFault> {
        let f = |c| field(record, at, c);
        let fields = AuditFields {
            time: f(TIME),
            activity: f(1),
            correlation: f(2),
            service: f(3),
            status: f(4),
            reason: f(5),
            actor_upn: f(6),
            actor_name: f(7),
            ip: f(8),
            target_upn: f(9),
            target_type: f(10),
        };
        audit_event(&fields, Some(TIME), cx)
    }
}

//! The eight answers, each a plain sentence with its numbers and a "show rows" action
//! that filters the rows table to exactly the rows behind it; and the summary download.

use leptos::prelude::*;

use super::as_of::AsOfControl;
use super::download::save_text;
use super::registered_table::registered_table;
use super::state::{use_state, AppState};
use super::suspicious::SuspiciousTable;
use crate::report::answers::{Answers, AttemptQuery, IssueKey, RowsOf};
use crate::report::dates::format_day;
use crate::report::model::Dataset;
use crate::report::outcome::ResetResult;
use crate::report::summary;
use crate::text::{self, en as t};

/// The "show rows" button for one number.
pub fn show_rows(state: AppState, label: String, what: RowsOf) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button subtle show-rows"
            aria-label=format!("{}: {label}", t::SHOW_ROWS)
            on:click=move |_| state.show(&label, what.clone())
        >
            {t::SHOW_ROWS}
        </button>
    }
}

fn attempts(q: AttemptQuery) -> RowsOf {
    RowsOf::Attempts(q)
}

fn succeeded() -> AttemptQuery {
    AttemptQuery {
        result: Some(ResetResult::Succeeded),
        ..AttemptQuery::default()
    }
}

#[component]
pub fn AnswersPanel() -> impl IntoView {
    let state = use_state();
    let download = move |_| {
        let Some(answers) = state.answers.get_untracked() else {
            return;
        };
        let json = state
            .data
            .with_untracked(|d| summary::to_json(&summary::build(d, &answers)));
        save_text(
            &format!("sspr-summary-{}.json", format_day(answers.as_of)),
            "application/json",
            &json,
        );
    };
    let not_ready = move || state.busy() || state.answers.with(Option::is_none);
    view! {
        <section class="answers" aria-labelledby="answers-heading">
            <div class="section-head">
                <h2 id="answers-heading">{t::ANSWERS_HEADING}</h2>
                <AsOfControl/>
                <button id="download-summary" type="button" class="button primary" disabled=not_ready on:click=download>
                    {t::DOWNLOAD_SUMMARY}
                </button>
            </div>
            {move || match state.answers.get() {
                Some(answers) => state.data.with(|d| answer_cards(state, d, &answers)).into_any(),
                // Worked out in slices (after a file's removal, with many events).
                None if state.busy() => view! { <p class="count" role="status">{t::ANSWERS_PENDING}</p> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

fn answer_cards(state: AppState, d: &Dataset, a: &Answers) -> impl IntoView + use<> {
    let name = |s| d.strings.get(s).to_string();
    let succeeded_count = a.results[ResetResult::Succeeded.index()];

    // Q1–Q3
    let registered = if a.registered.is_empty() {
        view! { <p>{t::NO_REGISTRATIONS}</p> }.into_any()
    } else {
        view! {
            <p class="answer-sentence" id="answer-registered">
                {t::answer_registered(a.registered.len())} " "
                {show_rows(state, t::Q_REGISTERED.into(), RowsOf::Registrations(None))}
            </p>
        }
        .into_any()
    };
    let no_registrations = || {
        a.registered
            .is_empty()
            .then(|| view! { <p>{t::NO_REGISTRATION_DATA}</p> })
    };
    let data = a
        .registered_families()
        .filter(|(_, n)| *n > 0)
        .map(|(family, n)| {
            let label = t::family_label(family).to_string();
            view! { <li>{t::family_users(family, n)} " " {show_rows(state, label, RowsOf::Registrations(Some(family)))}</li> }
        })
        .collect_view();

    // Q5
    let method_total: u64 = a.reset_methods.iter().sum();
    let methods = crate::report::methods::MethodFamily::ALL
        .into_iter()
        .filter(|f| a.reset_methods[f.index()] > 0)
        .map(|family| {
            let n = a.reset_methods[family.index()];
            let query = AttemptQuery { family: Some(family), ..succeeded() };
            view! {
                <li>
                    {format!("{}: {} ({})", t::family_label(family), text::count(n), text::percent(n, method_total))} " "
                    {show_rows(state, t::family_label(family).into(), attempts(query))}
                </li>
            }
        })
        .collect_view();

    // Q6
    let unsuccessful: u64 = a.issues.iter().map(|i| i.count).sum();
    let issues = a
        .issues
        .iter()
        .take(10)
        .map(|issue| {
            let (reason, fix) = issue_text(d, issue.key);
            let query = AttemptQuery {
                issue: Some((issue.key, issue.result)),
                ..AttemptQuery::default()
            };
            view! {
                <tr>
                    <td>{reason.clone()}</td>
                    <td>{t::result_label(issue.result)}</td>
                    <td class="num">{text::count(issue.count)}</td>
                    <td>{fix.unwrap_or("")}</td>
                    <td>{show_rows(state, reason, attempts(query))}</td>
                </tr>
            }
        })
        .collect_view();

    // Q7
    let admin_resets: u64 = a.admins_self_resetting.iter().map(|x| x.resets).sum();
    let admins = a
        .admins_self_resetting
        .iter()
        .map(|x| {
            let query = AttemptQuery {
                user: Some(x.user),
                ..succeeded()
            };
            let role = if x.role.is_empty() {
                t::ADMIN_NO_ROLE.to_string()
            } else {
                name(x.role)
            };
            view! {
                <tr>
                    <td>{name(x.user)}</td>
                    <td>{role}</td>
                    <td class="num">{text::count(x.resets)}</td>
                    <td>{show_rows(state, name(x.user), attempts(query))}</td>
                </tr>
            }
        })
        .collect_view();

    let audit = (a.events_by_service.iter().sum::<u64>() > 0).then(|| {
        let services: Vec<String> = a
            .services()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{} {}", t::service_label(s), text::count(n)))
            .collect();
        view! {
            <p class="answer-sentence" id="answer-audit">
                {t::answer_audit(a.events_total, &services.join(", "), a.sessions.len())} " "
                {(!a.admin_resets.is_empty()).then(|| view! {
                    {t::answer_admin_resets(a.admin_resets.len())} " "
                    {show_rows(state, t::ADMIN_RESETS.into(), RowsOf::AdminResets)}
                })}
            </p>
        }
    });

    view! {
        <p class="answer-sentence" id="answer-attempts">
            {if a.reset_attempts == 0 { t::NO_RESETS.to_string() } else { t::answer_attempts(a.reset_attempts, succeeded_count) }} " "
            {show_rows(state, t::ALL_ATTEMPTS.into(), attempts(AttemptQuery::default()))}
        </p>
        {audit}
        <div class="cards">
            <article class="card" id="q-registered">
                <h3>{t::Q_REGISTERED}</h3>
                {registered}
            </article>
            <article class="card wide" id="q-who">
                <h3>{t::Q_WHO}</h3>
                {no_registrations()}
                {registered_table(d, a)}
            </article>
            <article class="card" id="q-data">
                <h3>{t::Q_DATA}</h3>
                {no_registrations()}
                <ul class="plain">{data}</ul>
            </article>
            <article class="card" id="q-reset-7d">
                <h3>{t::Q_RESET_7D}</h3>
                <p class="answer-sentence">
                    <span class="big">{text::count(a.reset_users_last_7_days.len() as u64)}</span> " "
                    {t::answer_reset_7d(a.reset_users_last_7_days.len(), a.recent_resets)} " "
                    {show_rows(state, t::Q_RESET_7D.into(), attempts(AttemptQuery { recent: true, ..succeeded() }))}
                </p>
            </article>
            <article class="card" id="q-methods">
                <h3>{t::Q_METHODS}</h3>
                <p>{t::answer_methods(method_total)}</p>
                <ul class="plain">{methods}</ul>
            </article>
            <article class="card wide" id="q-issues">
                <h3>{t::Q_ISSUES}</h3>
                {if a.issues.is_empty() {
                    view! { <p>{t::NO_ISSUES}</p> }.into_any()
                } else {
                    view! {
                        <p>{t::answer_issues(unsuccessful, a.issues.len())} " " {t::ISSUES_TOP}</p>
                        <table class="compact">
                            <thead><tr>
                                <th scope="col">{t::COL_SENTENCE}</th>
                                <th scope="col">{t::COL_RESULT_TYPE}</th>
                                <th scope="col" class="num">{t::COL_COUNT}</th>
                                <th scope="col">{t::COL_FIX}</th>
                                <th scope="col"><span class="visually-hidden">{t::SHOW_ROWS}</span></th>
                            </tr></thead>
                            <tbody>{issues}</tbody>
                        </table>
                    }.into_any()
                }}
            </article>
            <article class="card wide" id="q-admins">
                <h3>{t::Q_ADMINS}</h3>
                {if a.admins_self_resetting.is_empty() {
                    view! { <p>{t::NO_ADMINS}</p> }.into_any()
                } else {
                    view! {
                        <p>
                            {t::answer_admins(a.admins_self_resetting.len(), admin_resets)} " "
                            {show_rows(state, t::Q_ADMINS.into(), attempts(AttemptQuery { admins: true, ..succeeded() }))}
                        </p>
                        <table class="compact" id="admins-table">
                            <thead><tr>
                                <th scope="col">{t::COL_USER}</th>
                                <th scope="col">{t::COL_ROLE}</th>
                                <th scope="col" class="num">{t::COL_RESETS}</th>
                                <th scope="col"><span class="visually-hidden">{t::SHOW_ROWS}</span></th>
                            </tr></thead>
                            <tbody>{admins}</tbody>
                        </table>
                    }.into_any()
                }}
            </article>
            <article class="card wide" id="q-suspicious">
                <h3>{t::Q_SUSPICIOUS}</h3>
                <SuspiciousTable/>
            </article>
        </div>
    }
}

/// The sentence of an issue group and its documented fix.
pub fn issue_text(d: &Dataset, key: IssueKey) -> (String, Option<&'static str>) {
    match key {
        IssueKey::Documented(id) => (id.entry().sentence.to_string(), id.entry().fix),
        IssueKey::Unknown(s) if s.is_empty() => (t::NO_DETAILS_TEXT.to_string(), None),
        IssueKey::Unknown(s) => (d.strings.get(s).to_string(), None),
    }
}

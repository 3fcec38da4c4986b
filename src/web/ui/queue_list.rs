//! The queue: a row per file with its thumbnail, size and status (inline errors for files
//! that cannot be read), the run's progress bar and cancel button, retry and remove.

use leptos::prelude::*;

use fill_line_gaps::web::queue::{Item, Status, percent};

use super::state::Ui;
use super::work;

#[component]
pub fn QueueList(ui: Ui) -> impl IntoView {
    let items = move || ui.queue.with(|q| q.items().to_vec());
    let has_rejected = move || ui.queue.with(|q| q.items().iter().any(|i| matches!(i.status, Status::Rejected(_))));
    view! {
        <RunProgress ui />
        <ol class="queue" id="queue" aria-label="Files">
            <For
                each=items
                key=|item: &Item| (item.id, item.status.clone(), item.detail.clone())
                children=move |item: Item| view! { <QueueRow ui item /> }
            />
        </ol>
        <Show when=has_rejected>
            <button type="button" class="link" on:click=move |_| ui.queue.update(|q| q.clear_rejected())>
                "Clear errors"
            </button>
        </Show>
    }
}

#[component]
fn QueueRow(ui: Ui, item: Item) -> impl IntoView {
    let id = item.id;
    let selected = move || ui.queue.with(|q| q.selected() == Some(id));
    let rejected = matches!(item.status, Status::Rejected(_));
    let size = item.size.map(|(w, h)| format!("{w}×{h}")).unwrap_or_default();
    let thumbnail = work::thumbnail(id);
    let can_retry = item.status.can_retry();
    let progress = match item.status {
        Status::Running { done, total } => Some(percent(done, total)),
        _ => None,
    };
    view! {
        <li
            class="queue-item"
            class:selected=selected
            class:error=item.status.is_error()
            data-status=item.status.kind()
            data-name=item.name.clone()
            on:click=move |_| {
                if !rejected {
                    work::select(ui, Some(id))
                }
            }
        >
            <div class="thumb">
                {match thumbnail {
                    Some(src) => view! { <img src=src alt="" /> }.into_any(),
                    None => view! { <span class="no-thumb" aria-hidden="true">{if rejected { "!" } else { "" }}</span> }.into_any(),
                }}
            </div>
            <div class="info">
                <span class="name" title=item.name.clone()>{item.name.clone()}</span>
                <span class="size">{size}</span>
                <span class="status" role=if item.status.is_error() { "alert" } else { "status" }>
                    {item.status.label()}
                    {item.detail.clone().map(|d| format!(" · {d}"))}
                </span>
                {progress.map(|p| view! { <progress max="100" value=p.to_string()></progress> })}
            </div>
            <div class="row-actions">
                {can_retry.then(|| view! {
                    <button type="button" title="Run again" on:click=move |e| {
                        e.stop_propagation();
                        work::retry(ui, id);
                    }>"↻"</button>
                })}
                <button type="button" class="remove" title="Remove" aria-label="Remove" on:click=move |e| {
                    e.stop_propagation();
                    work::remove(ui, id);
                }>"×"</button>
            </div>
        </li>
    }
}

/// The file being closed: name, progress bar, cancel.
#[component]
fn RunProgress(ui: Ui) -> impl IntoView {
    let running = move || {
        ui.queue.with(|q| {
            let id = q.running()?;
            let item = q.get(id)?;
            match item.status {
                Status::Running { done, total } => Some((item.name.clone(), done, total, q.pending())),
                _ => None,
            }
        })
    };
    view! {
        {move || running().map(|(name, done, total, pending)| view! {
            <div class="run" id="run">
                <div class="run-label">
                    "Closing gaps in " <strong>{name}</strong>
                    {(pending > 1).then(|| format!(" ({} more waiting)", pending - 1))}
                </div>
                <progress id="run-progress" max=total.to_string() value=done.to_string()></progress>
                <span class="run-tiles">{format!("{done}/{total} tiles")}</span>
                <button type="button" id="cancel" on:click=move |_| work::cancel_run()>"Cancel"</button>
            </div>
        })}
    }
}

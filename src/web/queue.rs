//! The queue of dropped files: what each one is, how far it got, which one the viewer shows
//! and which one the model runs next.

/// Stable identity of a queued file (indices shift when files are removed).
pub type ItemId = u32;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Decoded and waiting for the model.
    Queued,
    /// The model is running: tiles done out of all tiles.
    Running { done: usize, total: usize },
    /// The model has run: the file can be viewed and exported at any sensitivity.
    Done,
    /// Stopped by the user; can be queued again.
    Cancelled,
    /// The model run failed; can be queued again.
    Failed(String),
    /// Not a drawing the engine can read (empty, unknown format, corrupt, too large).
    Rejected(String),
}

impl Status {
    /// A short human line for the queue list.
    pub fn label(&self) -> String {
        match self {
            Status::Queued => "Waiting".into(),
            Status::Running { done, total } => format!("Closing gaps… {}%", percent(*done, *total)),
            Status::Done => "Done".into(),
            Status::Cancelled => "Cancelled".into(),
            Status::Failed(reason) => format!("Failed: {reason}"),
            Status::Rejected(reason) => reason.clone(),
        }
    }

    /// Whether the user may queue it again.
    pub fn can_retry(&self) -> bool {
        matches!(self, Status::Cancelled | Status::Failed(_))
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Status::Failed(_) | Status::Rejected(_))
    }

    /// A CSS-friendly one-word kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running { .. } => "running",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
            Status::Failed(_) => "failed",
            Status::Rejected(_) => "rejected",
        }
    }
}

/// Whole percent of `done` out of `total`, 100 for an empty job.
pub fn percent(done: usize, total: usize) -> usize {
    (done.min(total) * 100).checked_div(total).unwrap_or(100)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub id: ItemId,
    /// The file name as the user gave it.
    pub name: String,
    /// Pixel size, once decoded.
    pub size: Option<(usize, usize)>,
    pub status: Status,
    /// A note on the finished run, such as its time and backend.
    pub detail: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Queue {
    items: Vec<Item>,
    next_id: ItemId,
    selected: Option<ItemId>,
}

impl Queue {
    /// Adds a file; the first readable file becomes the selection when nothing is selected.
    pub fn push(&mut self, name: &str, size: Option<(usize, usize)>, status: Status) -> ItemId {
        let id = self.next_id;
        self.next_id += 1;
        let readable = !matches!(status, Status::Rejected(_));
        self.items.push(Item { id, name: name.to_owned(), size, status, detail: None });
        if self.selected.is_none() && readable {
            self.selected = Some(id);
        }
        id
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn get(&self, id: ItemId) -> Option<&Item> {
        self.items.iter().find(|item| item.id == id)
    }

    /// Returns false when the item is gone (removed while its run finished).
    pub fn set_status(&mut self, id: ItemId, status: Status) -> bool {
        match self.items.iter_mut().find(|item| item.id == id) {
            Some(item) => {
                item.status = status;
                true
            }
            None => false,
        }
    }

    pub fn set_detail(&mut self, id: ItemId, detail: Option<String>) {
        if let Some(item) = self.items.iter_mut().find(|item| item.id == id) {
            item.detail = detail;
        }
    }

    /// Queues a cancelled or failed file again.
    pub fn retry(&mut self, id: ItemId) -> bool {
        let retryable = self.get(id).is_some_and(|item| item.status.can_retry());
        retryable && self.set_status(id, Status::Queued)
    }

    /// Queues every closed file again (a setting that changes the model's output changed).
    pub fn requeue_done(&mut self) {
        for item in self.items.iter_mut().filter(|item| item.status == Status::Done) {
            item.status = Status::Queued;
        }
    }

    /// The file the model should take next: the oldest waiting one.
    pub fn next_queued(&self) -> Option<ItemId> {
        self.items.iter().find(|item| item.status == Status::Queued).map(|item| item.id)
    }

    pub fn running(&self) -> Option<ItemId> {
        self.items.iter().find(|item| matches!(item.status, Status::Running { .. })).map(|item| item.id)
    }

    /// Removes a file; a removed selection moves to the file after it (or before it at the end).
    pub fn remove(&mut self, id: ItemId) -> Option<Item> {
        let index = self.items.iter().position(|item| item.id == id)?;
        let item = self.items.remove(index);
        if self.selected == Some(id) {
            let readable = |item: &&Item| !matches!(item.status, Status::Rejected(_));
            let after = self.items[index..].iter().find(readable);
            let before = self.items[..index].iter().rev().find(readable);
            self.selected = after.or(before).map(|item| item.id);
        }
        Some(item)
    }

    /// Drops every rejected file (the error list a user has read).
    pub fn clear_rejected(&mut self) {
        self.items.retain(|item| !matches!(item.status, Status::Rejected(_)));
    }

    pub fn select(&mut self, id: ItemId) -> bool {
        let exists = self.get(id).is_some();
        if exists {
            self.selected = Some(id);
        }
        exists
    }

    pub fn selected(&self) -> Option<ItemId> {
        self.selected
    }

    /// The closed files, in queue order: what a batch export contains.
    pub fn done(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|item| item.status == Status::Done)
    }

    /// Files not yet through the model (waiting or running), for the overall progress.
    pub fn pending(&self) -> usize {
        self.items.iter().filter(|item| matches!(item.status, Status::Queued | Status::Running { .. })).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_in_order_and_skips_rejected_files() {
        let mut queue = Queue::default();
        let bad = queue.push("notes.txt", None, Status::Rejected("not an image".into()));
        let a = queue.push("a.png", Some((4, 4)), Status::Queued);
        let b = queue.push("b.png", Some((4, 4)), Status::Queued);
        assert_eq!(queue.selected(), Some(a), "a rejected file is never selected by itself");
        assert_eq!(queue.next_queued(), Some(a));
        queue.set_status(a, Status::Running { done: 1, total: 4 });
        assert_eq!(queue.running(), Some(a));
        assert_eq!(queue.next_queued(), Some(b));
        queue.set_status(a, Status::Done);
        assert_eq!(queue.pending(), 1);
        assert_eq!(queue.done().map(|i| i.id).collect::<Vec<_>>(), vec![a]);
        assert!(queue.get(bad).unwrap().status.is_error());
        queue.clear_rejected();
        assert!(queue.get(bad).is_none());
        assert_eq!(queue.items().len(), 2);
    }

    #[test]
    fn cancelled_and_failed_files_can_be_retried_but_not_rejected_ones() {
        let mut queue = Queue::default();
        let a = queue.push("a.png", Some((1, 1)), Status::Cancelled);
        let b = queue.push("b.png", Some((1, 1)), Status::Failed("gpu lost".into()));
        let c = queue.push("c.png", None, Status::Rejected("corrupt".into()));
        let d = queue.push("d.png", Some((1, 1)), Status::Done);
        assert!(queue.retry(a) && queue.retry(b));
        assert!(!queue.retry(c) && !queue.retry(d));
        assert_eq!(queue.get(a).unwrap().status, Status::Queued);
        assert!(!queue.retry(99));
        queue.requeue_done();
        assert_eq!(queue.get(d).unwrap().status, Status::Queued);
        assert_eq!(queue.get(c).unwrap().status, Status::Rejected("corrupt".into()));
        assert_eq!(queue.next_queued(), Some(a));
    }

    #[test]
    fn removing_the_selection_selects_a_neighbour() {
        let mut queue = Queue::default();
        let ids: Vec<_> = ["a", "b", "c"].iter().map(|n| queue.push(n, Some((1, 1)), Status::Queued)).collect();
        assert!(queue.select(ids[1]));
        queue.remove(ids[1]);
        assert_eq!(queue.selected(), Some(ids[2]));
        queue.remove(ids[2]);
        assert_eq!(queue.selected(), Some(ids[0]));
        queue.remove(ids[0]);
        assert_eq!(queue.selected(), None);
        assert!(!queue.select(ids[0]));
        assert!(!queue.set_status(ids[0], Status::Queued), "a finished run of a removed file is dropped");
    }

    #[test]
    fn labels_say_what_happened() {
        assert_eq!(Status::Running { done: 1, total: 3 }.label(), "Closing gaps… 33%");
        assert_eq!(Status::Done.label(), "Done");
        assert!(!Status::Done.can_retry() && Status::Cancelled.can_retry());
        assert_eq!(percent(0, 0), 100);
        assert_eq!(Status::Rejected("the file is empty".into()).label(), "the file is empty");
    }
}

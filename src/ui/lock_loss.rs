//! Losing the playground's lock at any moment, also while the playground is still opening.
//!
//! Owns [`LockLoss`]: the browser tells a tab it lost its Web Lock whenever another tab takes
//! it over, which can be before this tab has finished opening the playground. The loss is
//! remembered and acted on once the playground is there, exactly once. Must not decide what a
//! loss does (the app turns the playground read-only and stops its writes) nor talk to the
//! browser (`tab_lock` does).

use std::cell::{Cell, RefCell};

/// What a tab owns once open (`T`), and whether it lost the lock, in either order.
pub struct LockLoss<T> {
    owned: RefCell<Option<T>>,
    lost: Cell<bool>,
    acted: Cell<bool>,
}

impl<T> Default for LockLoss<T> {
    fn default() -> Self {
        Self {
            owned: RefCell::new(None),
            lost: Cell::new(false),
            acted: Cell::new(false),
        }
    }
}

impl<T> LockLoss<T> {
    /// The lock was lost: `act` runs on what the tab owns now, or, when it is still opening,
    /// when [`LockLoss::opened`] hands it over.
    pub fn lost(&self, act: impl FnOnce(&T)) {
        self.lost.set(true);
        self.act_once(act);
    }

    /// The playground is open: keeps `owned`, and runs `act` on it at once if the lock was
    /// lost meanwhile.
    pub fn opened(&self, owned: T, act: impl FnOnce(&T)) {
        *self.owned.borrow_mut() = Some(owned);
        if self.lost.get() {
            self.act_once(act);
        }
    }

    /// True once the lock was lost.
    pub fn is_lost(&self) -> bool {
        self.lost.get()
    }

    fn act_once(&self, act: impl FnOnce(&T)) {
        let owned = self.owned.borrow();
        if let Some(owned) = owned.as_ref() {
            if !self.acted.replace(true) {
                act(owned);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_lost_while_the_playground_opens_is_acted_on_once_it_is_open() {
        let loss = LockLoss::default();
        let acted = Cell::new(0);
        loss.lost(|_: &&str| acted.set(acted.get() + 1));
        assert_eq!(acted.get(), 0, "nothing to act on yet");
        assert!(loss.is_lost());
        loss.opened("playground", |p| {
            assert_eq!(*p, "playground");
            acted.set(acted.get() + 1);
        });
        assert_eq!(acted.get(), 1);
    }

    #[test]
    fn a_lock_lost_after_the_open_is_acted_on_at_once_and_only_once() {
        let loss = LockLoss::default();
        let acted = Cell::new(0);
        loss.opened("playground", |_| acted.set(acted.get() + 10));
        assert_eq!(acted.get(), 0, "the lock is still held");
        loss.lost(|_| acted.set(acted.get() + 1));
        loss.lost(|_| acted.set(acted.get() + 1));
        assert_eq!(acted.get(), 1);
    }
}

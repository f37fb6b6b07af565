-- SPDX-License-Identifier: MIT
-- Issue 15: a clawback received (`recovery`) and a payment returned by
-- the bank (`return`) each settle the entry they name once: a second one
-- is refused by the index, so a repeated request or a race adds nothing.
CREATE UNIQUE INDEX allowance_entries_settled_once ON allowance_entries (corrects)
    WHERE kind IN ('recovery', 'return');

#pragma once
// Clean-up that an interrupted run must still do.

namespace clipset {

// Removes the temporary files of every AtomicOutput not yet committed. Async-signal-safe: the
// app calls it from its SIGINT/SIGTERM handler so that Ctrl-C leaves no debris and the old
// output untouched.
void remove_pending_outputs() noexcept;

}  // namespace clipset

#pragma once
// SIGTERM and SIGUSR1 (what batch systems send before a time limit) only set a flag; the
// run finishes its sweep, agrees with the other ranks, writes a checkpoint and exits 0.
namespace tmorder::app {

/// Installs the handlers (idempotent).
void install_stop_handlers();
/// The signal received since installation, or 0.
int stop_signal();
/// "SIGTERM", "SIGUSR1", ...
const char* signal_name(int signal);

}  // namespace tmorder::app

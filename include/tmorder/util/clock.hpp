#pragma once
// Wall-clock timestamps for provenance.
#include <string>

namespace tmorder {

/// The current time as ISO 8601 UTC, e.g. "2026-11-25T14:31:52Z".
std::string utc_timestamp();

}  // namespace tmorder

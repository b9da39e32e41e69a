#include "tmorder/app/commands.hpp"

namespace tmorder::app {

namespace {
bool suppressed = false;
}

void suppress_error_output() { suppressed = true; }
bool error_output_suppressed() { return suppressed; }

}  // namespace tmorder::app

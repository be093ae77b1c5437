#pragma once
// What `clipset --version` prints: the version, the checkout it was built from, and the
// libraries it runs with (for bug reports: a distribution upgrade changes them under a binary).

#include <string>

namespace clipset::app {

std::string version_text();

}  // namespace clipset::app

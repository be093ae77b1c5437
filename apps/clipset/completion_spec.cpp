// Walks the CLI11 tree into a CompletionSpec.

#include <algorithm>

#include "completion_spec.hpp"

namespace clipset::app {

namespace {

// CLI::IsMember describes itself as "{a,b,c}" (a map's keys as "{a->x,b->y}"); other checks
// (ranges, whole numbers) describe no fixed set.
std::vector<std::string> choices_of(const std::string& description) {
  std::vector<std::string> choices;
  if (description.size() < 2 || description.front() != '{' || description.back() != '}') return choices;
  const std::string body = description.substr(1, description.size() - 2);
  std::size_t start = 0;
  while (start <= body.size()) {
    const std::size_t comma = std::min(body.find(',', start), body.size());
    std::string choice = body.substr(start, comma - start);
    choice = choice.substr(0, choice.find("->"));
    if (!choice.empty()) choices.push_back(choice);
    start = comma + 1;
  }
  return choices;
}

std::vector<std::string> validator_choices(CLI::Option& option) {
  // CLI11 2.1 has no count of an option's checks: ask by index until it says there is none.
  for (int index = 0;; ++index) {
    const CLI::Validator* validator = nullptr;
    try {
      validator = option.get_validator(index);
    } catch (const CLI::OptionNotFound&) {
      return {};
    }
    auto choices = choices_of(validator->get_description());
    if (!choices.empty()) return choices;
  }
}

OptionSpec option_spec(CLI::Option& option) {
  OptionSpec spec;
  for (const auto& name : option.get_snames()) spec.names.push_back("-" + name);
  for (const auto& name : option.get_lnames()) spec.names.push_back("--" + name);
  spec.description = option.get_description();
  if (option.get_expected_min() > 0) {
    spec.value_name = option.get_type_name().empty() ? "VALUE" : option.get_type_name();
    spec.choices = validator_choices(option);
  }
  spec.repeatable = option.get_expected_max() > 1 ||
                    option.get_multi_option_policy() != CLI::MultiOptionPolicy::Throw;
  return spec;
}

CommandSpec command_spec(CLI::App& command) {
  CommandSpec spec;
  spec.name = command.get_name();
  spec.description = command.get_description();
  for (CLI::Option* option : command.get_options()) {
    if (option->nonpositional()) {
      spec.options.push_back(option_spec(*option));
    } else {
      spec.takes_operands = true;
      auto choices = validator_choices(*option);
      spec.operand_choices.insert(spec.operand_choices.end(), choices.begin(), choices.end());
    }
  }
  return spec;
}

}  // namespace

CompletionSpec completion_spec(CLI::App& app) {
  CompletionSpec spec;
  spec.top = command_spec(app);
  spec.top.takes_operands = false;
  std::vector<std::string> names;
  for (CLI::App* command : app.get_subcommands({})) {
    if (command->get_group().empty()) continue;  // hidden
    spec.commands.push_back(command_spec(*command));
    names.push_back(command->get_name());
  }
  for (auto& command : spec.commands) {
    if (command.name == "help") command.operand_choices = names;
  }
  return spec;
}

}  // namespace clipset::app

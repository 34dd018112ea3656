#pragma once

#include <stdexcept>
#include <string>

namespace wb {

// Stable codes: the UI and the CLI branch on these, never on message text.
enum class ErrorCode {
    Io,          // a file could not be read or written
    Parse,       // malformed input (JSON, CSV, template syntax)
    Validation,  // well-formed input that breaks a rule (missing field, bad answer letter)
    NotFound,    // a named thing does not exist in the workspace
    Conflict,    // a name is taken, a state forbids the operation
    Cancelled,   // the user cancelled a job
    Unsupported, // a format or feature we do not handle
    Database,    // SQLite failed
    Internal,    // a bug: should never reach a user
};

const char *errorCodeName(ErrorCode code);

// The one error type core throws. The message is written for the user
// ("dataset row 17: field 'answer' is 'Z', not one of the 4 options"); context names the
// file, row or object it concerns, when there is one.
class Error : public std::runtime_error
{
public:
    Error(ErrorCode code, std::string message, std::string context = {});

    ErrorCode code() const noexcept { return m_code; }
    const std::string &context() const noexcept { return m_context; }
    const std::string &message() const noexcept { return m_message; }

private:
    ErrorCode m_code;
    std::string m_message;
    std::string m_context;
};

} // namespace wb

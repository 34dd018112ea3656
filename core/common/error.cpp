#include "common/error.h"

namespace wb {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Io: return "io";
    case ErrorCode::Parse: return "parse";
    case ErrorCode::Validation: return "validation";
    case ErrorCode::NotFound: return "not-found";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Database: return "database";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

static std::string compose(const std::string &message, const std::string &context)
{
    return context.empty() ? message : context + ": " + message;
}

Error::Error(ErrorCode code, std::string message, std::string context)
    : std::runtime_error(compose(message, context)), m_code(code), m_message(std::move(message)),
      m_context(std::move(context))
{
}

} // namespace wb

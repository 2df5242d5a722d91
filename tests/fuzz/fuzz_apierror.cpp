// Fuzzes ApiErrors::parse, which reads the error bodies (and in-stream error
// objects) that providers and relays send.
//
// Input: the body. Checks, besides crashes and sanitizer findings:
//   - a result is never empty (message, type or code) and describe() says something;
//   - its texts are fit to show in a banner, a log line or a terminal: no lone
//     surrogates, no control characters (C0, DEL, C1: an error body is
//     untrusted, and sluice-cli prints the message to stderr, where ESC
//     sequences would reach the terminal), bounded length;
//   - ApiErrors::adviceForStatus() says something for any status.

#include "fuzzcheck.h"

#include "api/apierror.h"

#include <cstdint>

namespace {

void checkText(const QString &s, const char *what)
{
    FUZZ_CHECK(!FuzzCheck::hasLoneSurrogate(s), what);
    FUZZ_CHECK(!FuzzCheck::hasControlCharacter(s), what);
    // Each piece is cut to 600 characters; a relay's nested error adds a few.
    FUZZ_CHECK(s.size() <= 8 * 1024, what);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArrayView body(reinterpret_cast<const char *>(bytes), qsizetype(size));
    if (const std::optional<ApiError> error = ApiErrors::parse(body)) {
        FUZZ_CHECK(!error->isEmpty(), "parse() returned an empty error");
        FUZZ_CHECK(!error->describe().isEmpty(), "describe() of a parsed error is empty");
        checkText(error->message, "the message is not fit to show");
        checkText(error->type, "the type is not fit to show");
        checkText(error->code, "the code is not fit to show");
        checkText(error->param, "the param is not fit to show");
    }
    int status = 0;
    for (size_t i = 0; i < size && i < 2; ++i)
        status = status * 256 + bytes[i];
    FUZZ_CHECK(!ApiErrors::adviceForStatus(status % 1000).isEmpty(), "no advice for a status");
    return 0;
}

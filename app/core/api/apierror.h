#pragma once

#include "chattypes.h"

#include <QByteArrayView>

#include <optional>

namespace ApiErrors {

// Reads a provider's error body: OpenAI `{"error":{"message","type","code","param"}}`,
// Anthropic `{"type":"error","error":{"type","message"}}`, Gemini
// `[{"error":{"code","message","status"}}]`, and the common relay shapes
// `{"error":"text"}`, `{"message":"..."}`, `{"detail":"..."}`. Pure; never throws.
std::optional<ApiError> parse(QByteArrayView body);

// A plain sentence for an HTTP status, with what the user can do about it
// ("check the API key in Settings"), used when the body says nothing better.
QString adviceForStatus(int httpStatus);

} // namespace ApiErrors

// SPDX-License-Identifier: MIT
#pragma once

// True when built with ThreadSanitizer or AddressSanitizer, which slow the code
// down several times and add memory of their own: tests scale their loads and
// bounds by it, and say so where they do.
// UNDER_SANITIZER is the same for the preprocessor.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#  define UNDER_SANITIZER 1
#elif defined(__has_feature)
#  if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#    define UNDER_SANITIZER 1
#  else
#    define UNDER_SANITIZER 0
#  endif
#else
#  define UNDER_SANITIZER 0
#endif
inline constexpr bool RunningUnderSanitizer = UNDER_SANITIZER;

#if defined(__SANITIZE_THREAD__)
inline constexpr bool RunningUnderThreadSanitizer = true;
#elif defined(__has_feature)
#  if __has_feature(thread_sanitizer)
inline constexpr bool RunningUnderThreadSanitizer = true;
#  else
inline constexpr bool RunningUnderThreadSanitizer = false;
#  endif
#else
inline constexpr bool RunningUnderThreadSanitizer = false;
#endif

/*
** wattpivot/export.h — WP_API marks the functions of the public API (docs/api.md). The library
** is compiled with hidden visibility, so the shared library exports exactly these; everything
** else in it is internal and may change in any release.
*/
#ifndef WATTPIVOT_EXPORT_H
#define WATTPIVOT_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define WP_API __attribute__((visibility("default")))
#else
#define WP_API
#endif

#endif

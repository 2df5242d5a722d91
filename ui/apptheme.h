#pragma once

#include "settings/settings.h"

#include <QPalette>

// The application-wide look for Settings::theme(): style, palette and icon
// theme. apply() is what main() calls at start and what MainWindow::themeChanged
// (from the settings dialog) is connected to; every widget follows at once
// through the QEvent::ApplicationPaletteChange / StyleChange Qt sends.
//
//   Dark   → Fusion with darkPalette()
//   Light  → Fusion with its own light palette
//   System → the platform's style and palette; the palette is left unset, so
//            Qt keeps following the platform (a desktop switching between light
//            and dark while Sluice runs), and the icon theme follows it too.
namespace AppTheme {

void apply(Settings::Theme theme);

// What apply() last set (System before the first call).
Settings::Theme current();

// "sluice-dark" for dark palettes, else "sluice".
QString iconThemeFor(const QPalette &palette);

QPalette darkPalette();

} // namespace AppTheme

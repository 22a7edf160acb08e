"""What the frozen build leaves out of PySide6: Qt parts the app never loads.

The app uses Qt Widgets, Qt WebEngine (the map) and Qt SVG/PNG images. PyInstaller's hooks
also bring QML modules, Qt Quick 3D, every translation and plugins for devices and sensors;
they cost ~180 MB and thousands of files. Qt WebEngine itself links Qt Quick and QML, so
those libraries stay; their QML import folders and the 3D stack go. Kept apart from the
spec so that a test can check the rules against a real build listing.
"""
from __future__ import annotations

import re

# QtWebEngine needs its resources and one locale; the UI is English.
_KEEP_LOCALES = ("en-GB.pak", "en-US.pak")
_DROP_DATA = re.compile(r"(^|/)PySide6/Qt/(qml|metatypes)/|(^|/)PySide6/(typesystems|include|glue|doc|examples)/")
_TRANSLATIONS = re.compile(r"(^|/)PySide6/Qt/translations/")
_DROP_BINARY = re.compile(
    r"(^|/)PySide6/Qt/(qml|metatypes)/"
    r"|libQt6(Quick3D|3D|QuickControls2|QuickDialogs2|QuickTemplates2|QuickLayouts|QuickShapes"
    r"|QuickParticles|QuickTest|QuickTimeline|QuickEffects|Multimedia|SpatialAudio|Sensors"
    r"|Bluetooth|Nfc|SerialPort|Charts|DataVisualization|Graphs|Designer|Help|Location"
    r"|RemoteObjects|Scxml|StateMachine|TextToSpeech|VirtualKeyboard"
    r"|ShaderTools|Pdf|Test|Sql|Labs|Lottie|HttpServer|WebSockets|QmlDesignSupport|QmlLocalStorage"
    r"|QmlXmlListModel|QmlNetwork|QmlCore|QuickVectorImage|WebEngineQuick|WebView|WebChannelQuick"
    r"|PositioningQuick|WaylandCompositor|Concurrent)"
    r"|Qt6(Quick3D|3D|QuickControls2|Multimedia|Charts|DataVisualization|Graphs|Designer|Pdf|Sql"
    r"|VirtualKeyboard|Sensors|Bluetooth|Location|TextToSpeech)[^/]*\.dll"
    r"|(^|/)plugins/(sqldrivers|multimedia|sensors|position|geoservices|texttospeech|canbus"
    r"|qmltooling|scenegraph|designer|renderers|sceneparsers|geometryloaders|assetimporters"
    r"|virtualkeyboard|webview|qmllint|qmlls|renderplugins|networkinformation)/")


def _norm(dest: str) -> str:
    return dest.replace("\\", "/")


def keep_data(dest: str) -> bool:
    """False for a data file (by its path in the bundle) the app never reads."""
    path = _norm(dest)
    if _DROP_DATA.search(path):
        return False
    if _TRANSLATIONS.search(path):
        return path.endswith(_KEEP_LOCALES)   # QtWebEngine's locale; Qt's own .qm are not used
    return True


def keep_binary(dest: str) -> bool:
    """False for a Qt library or plugin the app never loads."""
    return not _DROP_BINARY.search(_norm(dest))

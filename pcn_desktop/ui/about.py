"""The About box: version, licence and the data attributions the licences require."""
from __future__ import annotations

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtWidgets import QMessageBox, QWidget

from .. import __version__

ATTRIBUTIONS = """
<p><b>Data</b></p>
<ul>
<li>GP practice data (ODS, Patients Registered at a GP Practice, ePCN): NHS Digital, Open Government
Licence v3.0.</li>
<li>Boundaries: Contains National Statistics data &copy; Crown copyright and database right;
Office for National Statistics, Open Government Licence v3.0.</li>
<li>Postcode locations: Contains OS data &copy; Crown copyright and database right (OS Code-Point Open),
Open Government Licence v3.0.</li>
</ul>
<p><b>Software</b></p>
<ul>
<li>Leaflet &copy; Volodymyr Agafonkin and contributors, BSD-2-Clause.</li>
<li>folium (MIT); leaflet.fullscreen (MIT), leaflet-measure (MIT), Leaflet-MiniMap (BSD-2-Clause), leaflet-search (MIT): the map page and its plugins.</li>
<li>Qt for Python (PySide6 {pyside}), LGPLv3;
SQLAlchemy, MIT; shapely, BSD-3-Clause; GeoPandas, BSD-3-Clause; pyproj, MIT; ReportLab, BSD.</li>
</ul>
"""


def about_text() -> str:
    return (f"<h3>PCN Desktop {__version__}</h3>"
            "<p>Form Primary Care Networks from GP practices, check the registration rules, "
            "model funding, map boundaries and print network agreements — offline.</p>"
            "<p>Open source under the MIT licence.</p>" + ATTRIBUTIONS.format(pyside=PYSIDE_VERSION))


def show_about(parent: QWidget) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle("About PCN Desktop")
    box.setTextFormat(box.textFormat().RichText)
    box.setText(about_text())
    box.setAccessibleName("About PCN Desktop")
    box.exec()

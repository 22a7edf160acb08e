"""Readers and writers of the outside world's formats: NHS Digital CSVs, ePCN.xlsx, GIS files."""

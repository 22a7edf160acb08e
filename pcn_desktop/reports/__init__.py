"""Printed and shared outputs: agreement PDFs, the offline map HTML, static map images. No Qt."""

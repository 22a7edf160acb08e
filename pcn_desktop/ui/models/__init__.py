"""Qt table models over the domain: rows are read from the Project on demand, and an edit
updates only the rows of the networks it touched."""

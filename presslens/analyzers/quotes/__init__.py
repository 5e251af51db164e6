"""The presslens_quotes component: quotation marks, cues, speakers, indirect speech and the sourcing profile."""

"""The output contract: pydantic models of an analyzed article, and their conversion from a Doc."""

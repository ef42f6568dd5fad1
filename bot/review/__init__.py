"""Youth review groups' notes on lessons: the review files and the report for authors."""

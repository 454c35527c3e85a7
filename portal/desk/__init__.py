"""The department desk: stage an upload, preview it, publish it, look back, roll back."""

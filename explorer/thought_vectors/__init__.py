"""The Thought Vectors page (pages/4_Thought_Vectors.py): sentence sets, their maps and scores."""

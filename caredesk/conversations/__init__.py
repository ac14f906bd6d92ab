"""The Conversations tab: sentiment and topic trends, drivers of detractors and the
conversations with their evidence; feeds the analysis as data arrives."""

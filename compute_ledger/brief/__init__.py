"""The one-page brief: the Overview as an A4 PDF to forward (README "The one-page brief"). No Streamlit here.

`render` draws the page's Plotly figures as images (kaleido with a system Chromium), `pdf` lays out the page
from the OverviewView, `link` builds the URL that reopens exactly this view.
"""

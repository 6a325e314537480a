"""Figures, built once with plotly's own API (graph_objects, make_subplots, Figure.to_html), for
the study report (report.html, written by `s2s study`) and the app's Study page alike.

The one package of core that imports plotly; core's computation never does. Figure builders take
plain data (a report's sections, arrays) and return plotly.graph_objects.Figure.
"""

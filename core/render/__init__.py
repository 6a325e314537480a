"""Every figure of the project, built once with plotly's own API (graph_objects, make_subplots,
Figure.to_html): the app's pages and the study report (report.html, written by `s2s study`) alike.
Where both show the same thing they call the same function (margin_dynamics.dynamics_figure,
probe_margins.margin_points).

The one package of core that imports plotly; core's computation never does, and no package below
core.cli imports this one. Figure builders take typed results (a study's Report) or plain data (a
run's metrics.jsonl records, a result's to_dict) and return plotly.graph_objects.Figure; one file
per figure (or family of figures), and style.py for the look they share.
"""

// Sessions page: deleting asks first (the recordings go too).
document.addEventListener('submit', function (e) {
  var form = e.target;
  if (!form.matches || !form.matches('form[action$="/delete"]')) return;
  if (!window.confirm('Delete this session and its recordings? This cannot be undone.')) e.preventDefault();
});
